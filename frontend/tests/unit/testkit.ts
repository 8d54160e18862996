// Shared pieces of the unit tests.
import { afterAll, beforeAll } from 'vitest'

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
