/**
 * The served resources: built-ins plus the resources of established CRDs. Resolves request paths and
 * (apiVersion, kind) pairs to a resource, and answers discovery.
 */
import type { KubeObject } from '#shared/kube/types.ts';
import type { ResourceInfo } from '#sim/types.ts';
import { BUILTIN_RESOURCES } from '#sim/resources/builtin.ts';

/** A served resource and, for custom resources, the CRD that defines it. */
export interface Served {
  info: ResourceInfo;
  /** The CRD object for custom resources; undefined for built-ins. */
  crd?: KubeObject | undefined;
  /** Storage key shared by all versions of the resource: `group/plural`. */
  key: string;
}

/** `group/plural`: where objects of a resource are stored, whatever version they are served at. */
export function storageKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export class Registry {
  private byPath = new Map<string, Served>();
  private byKind = new Map<string, Served>();
  /** group → ordered versions (preferred first). */
  private groups = new Map<string, string[]>();
  /** CRD name → the group versions it registered. */
  private crdEntries = new Map<string, Served[]>();

  constructor() {
    for (const info of BUILTIN_RESOURCES) this.add({ info, key: storageKey(info.group, info.name) });
  }

  private addVersion(group: string, version: string): void {
    const versions = this.groups.get(group) ?? [];
    if (!versions.includes(version)) versions.push(version);
    this.groups.set(group, versions);
  }

  private add(s: Served): void {
    const { group, version, name, kind } = s.info;
    this.byPath.set(`${group}/${version}/${name}`, s);
    this.byKind.set(`${gv(group, version)}/${kind}`, s);
    this.addVersion(group, version);
  }

  /** The resource at `/apis/<group>/<version>/<plural>` (group '' for `/api/v1`). */
  resolve(group: string, version: string, plural: string): Served | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The resource of objects with this apiVersion and kind. */
  byApiVersionKind(apiVersion: string, kind: string): Served | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Whether the group version is served at all (else the path is a plain-text 404). */
  hasGroupVersion(group: string, version: string): boolean {
    return this.groups.get(group)?.includes(version) ?? false;
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  /** Versions of a group, preferred first. */
  versions(group: string): string[] {
    return this.groups.get(group) ?? [];
  }

  /** All groups except the core group, in registration order. */
  groupNames(): string[] {
    return [...this.groups.keys()].filter((g) => g !== '');
  }

  /** The resources of one group version. */
  resources(group: string, version: string): Served[] {
    const out: Served[] = [];
    for (const s of this.byPath.values()) if (s.info.group === group && s.info.version === version) out.push(s);
    return out;
  }

  /** A served entry of a storage key (`group/plural`), for controllers that only know the key. */
  byKey(key: string): Served | undefined {
    for (const s of this.byPath.values()) if (s.key === key) return s;
    return undefined;
  }

  /** Every distinct stored resource (one entry per storage key). */
  storageResources(): Served[] {
    const seen = new Map<string, Served>();
    for (const s of this.byPath.values()) if (!seen.has(s.key)) seen.set(s.key, s);
    return [...seen.values()];
  }

  /** Serves the resources of a CRD (all served versions), replacing what it served before. */
  registerCrd(crd: KubeObject, infos: ResourceInfo[]): void {
    this.unregisterCrd(crd.metadata.name ?? '');
    const entries = infos.map((info) => ({ info, crd, key: storageKey(info.group, info.name) }));
    for (const e of entries) this.add(e);
    this.crdEntries.set(crd.metadata.name ?? '', entries);
  }

  /** Stops serving the resources of a CRD. */
  unregisterCrd(crdName: string): void {
    const entries = this.crdEntries.get(crdName);
    if (!entries) return;
    this.crdEntries.delete(crdName);
    for (const e of entries) {
      const { group, version, name, kind } = e.info;
      this.byPath.delete(`${group}/${version}/${name}`);
      this.byKind.delete(`${gv(group, version)}/${kind}`);
      const stillUsed = [...this.byPath.values()].some((s) => s.info.group === group && s.info.version === version);
      if (!stillUsed) {
        const versions = (this.groups.get(group) ?? []).filter((v) => v !== version);
        if (versions.length) this.groups.set(group, versions); else this.groups.delete(group);
      }
    }
  }

  /** The entries a CRD currently serves (empty when not established). */
  crdServed(crdName: string): Served[] {
    return this.crdEntries.get(crdName) ?? [];
  }
}
