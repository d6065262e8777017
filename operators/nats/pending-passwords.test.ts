import { expect } from 'chai';
import type { KubeObject } from '#shared/kube/types.ts';
import { secretPassword, userSecretName } from './desired.ts';
import { PendingPasswords } from './passwords.ts';
import { desiredKeepingPending } from './reconcile.ts';
import type { NatsCluster } from './types.ts';

const cr: NatsCluster = {
  apiVersion: 'nimbus.dev/v1alpha1', kind: 'NatsCluster',
  metadata: { name: 'acme', namespace: 'tenant-acme', uid: 'uid-1', labels: { 'nimbus.dev/tenant': 'acme' } },
  spec: {},
};
const secretName = userSecretName('acme', 'acme');
const confOf = (objects: KubeObject[]): string =>
  (objects.find((o) => o.kind === 'ConfigMap')?.['data'] as Record<string, string>)['nats.conf'] ?? '';

describe('NatsCluster passwords of Secrets not in the cache yet', () => {
  it('hands out the same password (and config) until the Secret is seen, a new one after it is gone', () => {
    const pending = new PendingPasswords();
    const first = desiredKeepingPending(cr, { secrets: {} }, pending);
    const again = desiredKeepingPending(cr, { secrets: {} }, pending);
    const password = secretPassword(first.createOnce[0]);
    expect(password).to.be.a('string');
    expect(secretPassword(again.createOnce[0])).to.equal(password);
    expect(confOf(again.apply)).to.equal(confOf(first.apply));

    const seen = desiredKeepingPending(cr, { secrets: { [secretName]: first.createOnce[0] } }, pending);
    expect(seen.createOnce).to.deep.equal([]);
    expect(confOf(seen.apply)).to.equal(confOf(first.apply));
    expect(pending.size).to.equal(0);

    // Deleted by someone once it existed: a new password.
    const regenerated = desiredKeepingPending(cr, { secrets: {} }, pending);
    expect(secretPassword(regenerated.createOnce[0])).to.not.equal(password);
  });

  it('keeps CRs apart by uid', () => {
    const pending = new PendingPasswords();
    const a = desiredKeepingPending(cr, { secrets: {} }, pending);
    const b = desiredKeepingPending({ ...cr, metadata: { ...cr.metadata, uid: 'uid-2' } }, { secrets: {} }, pending);
    expect(secretPassword(b.createOnce[0])).to.not.equal(secretPassword(a.createOnce[0]));
  });
});
