/** The message of an API server's refusal: the promise must reject (a write the server should have refused). */
export async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the API server to refuse the object');
}
