import { describe, expect, it } from 'vitest'
import { flushAll, onClosing } from '../../src/entry/closing'

describe('closing', () => {
  it('waits for every registered flush, even when one fails', async () => {
    const done: string[] = []
    const stopA = onClosing(async () => {
      await new Promise((r) => setTimeout(r, 20))
      done.push('a')
    })
    const stopB = onClosing(async () => {
      throw new Error('disk full')
    })
    await flushAll()
    expect(done).toEqual(['a'])
    stopA()
    stopB()
    done.length = 0
    await flushAll()
    expect(done).toEqual([])
  })
})
