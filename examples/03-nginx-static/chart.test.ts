import { Testing } from 'cdk8s';
import { onlyPodSpec, containerNamed, synthValid } from '../../test/util/manifest';
import { build } from './chart';

test('03-nginx-static synthesizes GitCloneContent without its token leaks', () => {
  const manifests = synthValid(build(Testing.app()));
  expect(manifests).toMatchSnapshot();

  const spec = onlyPodSpec(manifests);
  const clone = containerNamed(spec, 'git-clone');
  expect(clone.command[2]).not.toContain('GIT_TOKEN');
  expect(containerNamed(spec, 'nginx').volumeMounts).toEqual([
    { mountPath: '/usr/share/nginx/html', name: 'web-content', readOnly: true, subPath: 'html' },
  ]);
});
