import { Rule } from '../rule';
import { podSecurityRestricted } from './pod-security';
import { acknowledgement, annotationSyntax, KNOWN_RULE_IDS, labelSyntax, objectName } from './api-metadata';
import {
  containerName,
  containerNameUnique,
  containerPortClash,
  containerPorts,
  containerRestartPolicy,
  envName,
  initContainerFields,
  mountPathUnique,
  resourceQuantities,
  volumeDeclared,
  workloadRestartPolicy,
} from './api-containers';
import { cronSchedule, selectorMatchesTemplate, servicePorts } from './api-workloads';
import {
  flagWithValue,
  initDominatesRequests,
  logShipperOrphanVolume,
  resourcesMissing,
  unpinnedImage,
  waitWithoutDeadline,
} from './hygiene';
import {
  referenceNamespace,
  secretInAnnotation,
  secretInArgs,
  secretInConfigMap,
  secretInEnv,
  secretOnDisk,
} from './secrets';
import { classicSidecarInJob, nativeSidecarVersion, sidecarStartupProbe } from './sidecars';
import {
  frontDoorBypass,
  istioClassicInitNetwork,
  istioReservedPorts,
  serviceTargetPort,
  serviceTargetPortUndeclared,
} from './traffic';

/** Every rule, in the order findings are reported for an object. */
export const RULES: Rule[] = [
  // the API server's own checks
  objectName,
  labelSyntax,
  annotationSyntax,
  containerNameUnique,
  containerName,
  containerPorts,
  mountPathUnique,
  volumeDeclared,
  envName,
  resourceQuantities,
  containerPortClash,
  containerRestartPolicy,
  initContainerFields,
  workloadRestartPolicy,
  selectorMatchesTemplate,
  cronSchedule,
  servicePorts,
  // sidecars and init containers
  classicSidecarInJob,
  nativeSidecarVersion,
  sidecarStartupProbe,
  // traffic: Services, ports, the mesh
  frontDoorBypass,
  serviceTargetPort,
  serviceTargetPortUndeclared,
  istioReservedPorts,
  istioClassicInitNetwork,
  // secrets and references
  secretInArgs,
  secretInEnv,
  secretInAnnotation,
  secretInConfigMap,
  secretOnDisk,
  referenceNamespace,
  // Pod Security
  podSecurityRestricted,
  // resources and hygiene
  resourcesMissing,
  initDominatesRequests,
  waitWithoutDeadline,
  logShipperOrphanVolume,
  unpinnedImage,
  flagWithValue,
  // the acknowledgements themselves
  acknowledgement,
];

for (const rule of RULES) KNOWN_RULE_IDS.add(rule.info.id);
