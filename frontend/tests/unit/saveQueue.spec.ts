import { describe, expect, it, vi } from 'vitest'
import { SaveQueue, type SaveBackend } from '../../src/entry/saveQueue'
import type { EditRequest, SaveResult } from '../../src/api/backend'

// A backend that behaves like batch.Service.Save: checks the revision,
// assigns ids, and can be told to fail or to hold a save until released.
function fakeBackend() {
  let revision = 0
  let nextId = 100
  const calls: EditRequest[] = []
  let failNext = false
  let hold: Promise<void> | null = null
  const backend: SaveBackend = {
    async save(_id: number, edit: EditRequest): Promise<SaveResult> {
      calls.push(JSON.parse(JSON.stringify(edit)))
      if (hold) await hold
      if (failNext) {
        failNext = false
        throw new Error('disk full')
      }
      if (edit.revision !== revision) throw new Error(`stale ${edit.revision} != ${revision}`)
      revision++
      return { revision, added: edit.add.map(() => nextId++), rows: 0 } as SaveResult
    },
  }
  return {
    backend,
    calls,
    failOnce: () => (failNext = true),
    holdSaves: () => {
      let release!: () => void
      hold = new Promise<void>((r) => (release = r))
      return () => {
        hold = null
        release()
      }
    },
  }
}

describe('SaveQueue', () => {
  it('batches edits made within the pause into one save', async () => {
    vi.useFakeTimers()
    const fb = fakeBackend()
    const q = new SaveQueue(fb.backend, 1, 0)
    const a = q.addRow({ name: '王芳' })
    q.setCell(a, 'amount', '100')
    q.setCell(7, 'name', '李四')
    q.setCell(7, 'name', '李五')
    expect(q.state).toBe('pending')
    await vi.advanceTimersByTimeAsync(300)
    expect(fb.calls).toHaveLength(1)
    expect(fb.calls[0]).toEqual({
      revision: 0,
      cells: [{ rowId: 7, field: 'name', value: '李五' }],
      add: [{ name: '王芳', amount: '100' }],
      delete: [],
    })
    expect(q.state).toBe('saved')
    expect(q.resolve(a)).toBe(100)
    vi.useRealTimers()
  })

  it('never overlaps saves and maps edits of a row being added', async () => {
    const fb = fakeBackend()
    const q = new SaveQueue(fb.backend, 1, 0, {}, 0)
    const release = fb.holdSaves()
    const a = q.addRow({ name: '甲' })
    const done = q.flush()
    await Promise.resolve()
    q.setCell(a, 'amount', '5') // the add is in flight: wait for its id
    const b = q.addRow({ name: '乙' })
    q.deleteRows([b]) // never sent
    release()
    await done
    await q.flush()
    expect(fb.calls.map((c) => c.revision)).toEqual([0, 1])
    expect(fb.calls[1]).toEqual({ revision: 1, cells: [{ rowId: 100, field: 'amount', value: '5' }], add: [], delete: [] })
    expect(q.dirty).toBe(false)
  })

  it('deletes a row whose add was in flight by its real id', async () => {
    const fb = fakeBackend()
    const q = new SaveQueue(fb.backend, 1, 0, {}, 0)
    const release = fb.holdSaves()
    const a = q.addRow({ name: '甲' })
    const done = q.flush()
    await Promise.resolve()
    q.deleteRows([a])
    release()
    await done
    await q.flush()
    expect(fb.calls[1].delete).toEqual([100])
  })

  it('keeps failed edits, newer values win, and retry sends them', async () => {
    const fb = fakeBackend()
    const states: string[] = []
    const q = new SaveQueue(fb.backend, 1, 0, { onState: (s) => states.push(s) }, 0)
    fb.failOnce()
    q.setCell(3, 'name', '旧')
    q.setCell(3, 'bank', '信用社')
    await q.flush()
    expect(q.state).toBe('error')
    q.setCell(3, 'name', '新')
    await q.retry()
    expect(q.state).toBe('saved')
    const last = fb.calls[fb.calls.length - 1]
    expect(last.revision).toBe(0)
    expect(last.cells).toEqual(
      expect.arrayContaining([
        { rowId: 3, field: 'name', value: '新' },
        { rowId: 3, field: 'bank', value: '信用社' },
      ]),
    )
    expect(last.cells).toHaveLength(2)
    expect(states).toContain('error')
  })
})
