/**
 * Names of the desktop app's IPC channels: one per contract method and one per event, so the preload exposes one
 * named function per message and main answers each on its own channel.
 */
import type { EventName, MethodName } from './api.ts';

/** Channel a method is invoked on. */
export function invokeChannel(method: MethodName): string {
  return `alegion:invoke:${method}`;
}

/** Channel an event is sent on. */
export function eventChannel(event: EventName): string {
  return `alegion:event:${event}`;
}
