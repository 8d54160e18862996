// The grid's write-behind queue. Every edit is applied to the screen at
// once and sent to the backend after a short pause, all pending edits in
// one Save call (one transaction), so a draft reaches the disk well within
// a second of the last keystroke and a crash loses at most that pause.
// Saves never overlap: the backend checks the revision, and overlapping
// saves would refuse each other.
import type { EditRequest, SaveResult } from '../api/backend'

export type SaveState = 'saved' | 'pending' | 'saving' | 'error'

export interface SaveBackend {
  save(batchId: number, edit: EditRequest): Promise<SaveResult>
}

export interface QueueEvents {
  /** A temporary row id (negative) now has its real id. */
  onIds?(map: Map<number, number>): void
  onState?(state: SaveState, error?: unknown): void
  onSaved?(result: SaveResult): void
}

export const SAVE_DELAY_MS = 300

interface Pending {
  cells: Map<number, Map<string, string>> // row id (real or temporary) → field → value
  adds: Map<number, Record<string, string>> // temporary id → cells, in insertion order
  deletes: Set<number>
}

function empty(): Pending {
  return { cells: new Map(), adds: new Map(), deletes: new Set() }
}

export class SaveQueue {
  private pending = empty()
  private inFlight: Pending | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private nextTemp = -1
  private idMap = new Map<number, number>()
  private waiters: (() => void)[] = []
  state: SaveState = 'saved'
  lastError: unknown = null

  constructor(
    private backend: SaveBackend,
    readonly batchId: number,
    public revision: number,
    private events: QueueEvents = {},
    private delay = SAVE_DELAY_MS,
  ) {}

  /** A new row; returns its temporary (negative) id. */
  addRow(cells: Record<string, string> = {}): number {
    const id = this.nextTemp--
    this.pending.adds.set(id, { ...cells })
    this.schedule()
    return id
  }

  setCell(rowId: number, field: string, value: string) {
    const id = this.resolve(rowId)
    const add = this.pending.adds.get(id)
    if (add) {
      add[field] = value // not sent yet: fold into the new row
    } else {
      let row = this.pending.cells.get(id)
      if (!row) this.pending.cells.set(id, (row = new Map()))
      row.set(field, value)
    }
    this.schedule()
  }

  deleteRows(ids: number[]) {
    for (const raw of ids) {
      const id = this.resolve(raw)
      this.pending.cells.delete(id)
      if (this.pending.adds.delete(id)) continue // never reached the backend
      this.pending.deletes.add(id)
    }
    this.schedule()
  }

  /** Real id for a temporary one once the backend assigned it. */
  resolve(id: number): number {
    return this.idMap.get(id) ?? id
  }

  get dirty(): boolean {
    const p = this.pending
    return p.cells.size + p.adds.size + p.deletes.size > 0 || this.inFlight !== null
  }

  /** Saves everything now and resolves when nothing is left to save. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (!this.dirty) return
    const done = new Promise<void>((resolve) => this.waiters.push(resolve))
    void this.run()
    return done
  }

  private schedule() {
    this.setState(this.inFlight ? 'saving' : 'pending')
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      void this.run()
    }, this.delay)
  }

  private setState(s: SaveState, err?: unknown) {
    this.state = s
    this.events.onState?.(s, err)
  }

  private async run(): Promise<void> {
    if (this.inFlight || this.state === 'error') {
      if (this.state === 'error') this.release()
      return
    }
    const p = this.pending
    if (p.cells.size + p.adds.size + p.deletes.size === 0) {
      this.setState('saved')
      this.release()
      return
    }
    // Cell edits on rows whose add is in flight wait for the real id.
    const waiting = new Map<number, Map<string, string>>()
    const cells: EditRequest['cells'] = []
    for (const [rowId, fields] of p.cells) {
      if (rowId < 0) {
        waiting.set(rowId, fields)
        continue
      }
      for (const [field, value] of fields) cells.push({ rowId, field, value })
    }
    const addIds = [...p.adds.keys()]
    const req: EditRequest = { revision: this.revision, cells, add: [...p.adds.values()], delete: [...p.deletes].filter((id) => id > 0) }
    this.inFlight = {
      cells: new Map([...p.cells].filter(([id]) => id > 0)),
      adds: p.adds,
      deletes: new Set([...p.deletes].filter((id) => id > 0)),
    }
    this.pending = empty()
    this.pending.cells = waiting
    this.pending.deletes = new Set([...p.deletes].filter((id) => id < 0))
    this.setState('saving')
    try {
      const res = await this.backend.save(this.batchId, req)
      this.revision = res.revision
      const map = new Map<number, number>()
      addIds.forEach((tmp, i) => {
        const real = res.added?.[i]
        if (real !== undefined) {
          map.set(tmp, real)
          this.idMap.set(tmp, real)
        }
      })
      // Edits made to a new row while it was being added now have an id.
      for (const [tmp, real] of map) {
        const fields = this.pending.cells.get(tmp)
        if (fields) {
          this.pending.cells.delete(tmp)
          this.pending.cells.set(real, fields)
        }
        if (this.pending.deletes.delete(tmp)) this.pending.deletes.add(real)
      }
      if (map.size) this.events.onIds?.(map)
      this.inFlight = null
      this.events.onSaved?.(res)
      if (this.dirty) {
        void this.run()
      } else {
        this.setState('saved')
        this.release()
      }
    } catch (e) {
      // Put the failed edits back under any newer ones, so a retry sends
      // the latest value of every cell.
      const failed = this.inFlight!
      this.inFlight = null
      for (const [id, fields] of failed.cells) {
        const newer = this.pending.cells.get(id)
        this.pending.cells.set(id, newer ? new Map([...fields, ...newer]) : fields)
      }
      const adds = new Map(failed.adds)
      for (const [id, cells] of this.pending.adds) adds.set(id, cells)
      this.pending.adds = adds
      for (const id of failed.deletes) this.pending.deletes.add(id)
      this.lastError = e
      this.setState('error', e)
      this.release()
    }
  }

  /** After an error, try again (the user pressed 重试). */
  retry(): Promise<void> {
    this.setState('pending')
    return this.flush()
  }

  private release() {
    const ws = this.waiters
    this.waiters = []
    ws.forEach((w) => w())
  }
}
