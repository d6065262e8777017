/** The error of a call that must fail with a given class (a unit test's "expect it to throw, and give me the error"). */

/** The `type` error `fn` throws; any other error is rethrown, and returning normally fails the test. */
export function thrownBy<E extends Error>(type: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
