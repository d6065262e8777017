/**
 * The action runtimes the controller offers (`runtimes.json`, the OpenWhisk runtimes manifest). A small, realistic
 * set: Node.js 20 (the default `nodejs` kind), Python 3, and the Docker skeleton for blackbox actions.
 */
export const runtimesManifest = {
  runtimes: {
    nodejs: [
      {
        kind: 'nodejs:20',
        default: true,
        image: { prefix: 'openwhisk', name: 'action-nodejs-v20', tag: 'nightly' },
        deprecated: false,
        attached: { attachmentName: 'codefile', attachmentType: 'text/plain' },
      },
    ],
    python: [
      {
        kind: 'python:3',
        default: true,
        image: { prefix: 'openwhisk', name: 'python3action', tag: 'nightly' },
        deprecated: false,
        attached: { attachmentName: 'codefile', attachmentType: 'text/plain' },
      },
    ],
  },
  blackboxes: [{ prefix: 'openwhisk', name: 'dockerskeleton', tag: 'nightly' }],
};

/** The manifest as the controller reads it from `RUNTIMES_MANIFEST`. */
export function runtimesJson(): string {
  return `${JSON.stringify(runtimesManifest, null, 2)}\n`;
}
