/**
 * JSON patch (RFC 6902), `application/json-patch+json`, through fast-json-patch. Any failing operation (a `test` that
 * does not hold, a path that does not exist) is the real server's generic 422.
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, invalidPatch } from './status.ts';
import { clone, isObject } from './json-value.ts';

const ops = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Apply the operations in `patch` (decoded JSON) to a copy of `target`. */
export function jsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  const operations = patch.map((op: unknown): Operation => {
    if (!isObject(op) || typeof op.op !== 'string' || !ops.has(op.op) || typeof op.path !== 'string') {
      throw invalidPatch();
    }
    return op as unknown as Operation;
  });
  try {
    return jsonpatch.applyPatch(clone(target), clone(operations), true, true).newDocument;
  } catch (error) {
    // fast-json-patch raises JsonPatchError (TEST_OPERATION_FAILED, OPERATION_PATH_UNRESOLVABLE, ...): all 422.
    throw Object.assign(invalidPatch(), { cause: error });
  }
}
