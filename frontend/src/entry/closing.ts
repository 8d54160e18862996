// Closing the window waits for pending saves: the backend holds the close,
// sends "app:before-close", and lets it go when CloseNow is called (or after
// a few seconds). Editors register what they must flush.
import { EventsOn } from '../../wailsjs/runtime/runtime'
import * as System from '../../wailsjs/go/app/SystemService'

const flushers = new Set<() => Promise<void>>()

/** Registers a flush; returns the function that unregisters it. */
export function onClosing(flush: () => Promise<void>): () => void {
  flushers.add(flush)
  return () => flushers.delete(flush)
}

export async function flushAll(): Promise<void> {
  await Promise.allSettled([...flushers].map((f) => f()))
}

/** Called once at start-up, only where the Wails runtime exists. */
export function listenForClose() {
  if (!(window as unknown as { runtime?: unknown }).runtime) return
  EventsOn('app:before-close', async () => {
    await flushAll()
    await System.CloseNow()
  })
}
