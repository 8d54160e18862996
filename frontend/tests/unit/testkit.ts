// Shared pieces of the unit tests.
import { afterAll, beforeAll } from 'vitest'
import { DOMWrapper, flushPromises } from '@vue/test-utils'

/**
 * jsdom has no layout: every element measures 0 × 0, so vxe-table's virtual
 * scroller renders no rows and ECharts draws nothing. Give every element
 * width × height for the tests of one file, as a browser would.
 */
export function giveElementsASize(width = 1200, height = 600): void {
  const sized = ['clientHeight', 'offsetHeight', 'clientWidth', 'offsetWidth'] as const
  const saved = new Map<string, PropertyDescriptor | undefined>()
  beforeAll(() => {
    for (const p of sized) {
      saved.set(p, Object.getOwnPropertyDescriptor(HTMLElement.prototype, p))
      Object.defineProperty(HTMLElement.prototype, p, { configurable: true, get: () => (p.endsWith('Height') ? height : width) })
    }
  })
  afterAll(() => {
    for (const p of sized) {
      const d = saved.get(p)
      if (d) Object.defineProperty(HTMLElement.prototype, p, d)
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[p]
    }
  })
}

/** An error as a bound method rejects with it: the backend's JSON envelope. */
export const appErr = (code: string, message: string) => new Error(JSON.stringify({ code, message }))

// The dialogs and popovers Element Plus teleports live under <body>, so
// queries start there.
export const body = () => new DOMWrapper(document.body)
export const byTest = (id: string) => body().get(`[data-testid="${id}"]`)
export const exists = (id: string) => body().find(`[data-testid="${id}"]`).exists()
/** The data-testid of the element (or its nearest marked ancestor) holding the focus. */
export const focusedIn = () => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid')

/** Lets promises, timers (debounces, transitions) and re-renders run: rounds × (flush, wait ms), then a last flush. */
export async function settleFor(rounds: number, ms: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await flushPromises()
    await new Promise((r) => setTimeout(r, ms))
  }
  await flushPromises()
}
