/** Polling for a state the system reaches by itself (an upload settling, labelers finishing), every 100 ms. */

/** Reads until `ok` holds and returns that value; throws naming `what` after `tries` reads. */
export async function until<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  what: string,
  tries = 600,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}
