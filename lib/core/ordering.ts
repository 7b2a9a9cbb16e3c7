/** A node of the start-up order: a helper container and the containers it must start after. */
export interface OrderNode {
  readonly name: string;
  readonly after: string[];
}

/**
 * Orders nodes so that each comes after everything it names in `after`, keeping the declared order
 * wherever the constraints allow it (a stable topological sort). Throws on an unknown name or a cycle,
 * naming the containers involved.
 */
export function resolveOrder(owner: string, nodes: OrderNode[]): string[] {
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  for (const n of nodes) {
    for (const dep of n.after) {
      if (!index.has(dep)) {
        throw new Error(
          `${owner}: '${n.name}' is declared to run after '${dep}', which is not an init step or native sidecar ` +
            `of this pod; add '${dep}' to the same workload or remove it from 'after'`,
        );
      }
    }
  }
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < nodes.length) {
    const next = nodes.find((n) => !placed.has(n.name) && n.after.every((d) => placed.has(d)));
    if (!next) {
      const cycle = findCycle(nodes.filter((n) => !placed.has(n.name)));
      throw new Error(
        `${owner}: the start-up order has a cycle: ${cycle.join(' -> ')}; remove one of these 'after' ` +
          'dependencies',
      );
    }
    placed.add(next.name);
    order.push(next.name);
  }
  return order;
}

function findCycle(nodes: OrderNode[]): string[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  // Every remaining node waits on another remaining node: walk until a name repeats.
  const path: string[] = [];
  let current = nodes[0];
  while (!path.includes(current.name)) {
    path.push(current.name);
    const dep = current.after.find((d) => byName.has(d))!;
    current = byName.get(dep)!;
  }
  return [...path.slice(path.indexOf(current.name)), current.name];
}
