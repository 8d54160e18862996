// Pure helpers of the sync UI (同步): what the header and the page say
// about the link, and an outbox item's progress with the live push merged in.
import type { SyncItem, SyncProgress, SyncState } from '../../api/backend'

/** What the link state shows as: the four link states, or a problem that stops sync altogether. */
export type LinkView = 'online' | 'offline' | 'login' | 'auth' | 'problem'

export function linkView(s: SyncState | null | undefined): LinkView | undefined {
  if (!s) return undefined
  if (s.problem) return 'problem'
  const l = s.status?.link
  return l === 'online' || l === 'offline' || l === 'auth' ? l : 'login'
}

/** The header's three words: 平台在线, 平台离线, 未连接平台. */
export function headerWord(v: LinkView | undefined): 'online' | 'offline' | 'none' {
  return v === 'online' ? 'online' : v === 'offline' ? 'offline' : 'none'
}

/** A whole percentage of sent of total, 0 when the total is unknown. */
export function percent(sent: number, total: number): number {
  if (!total || total <= 0) return 0
  return Math.max(0, Math.min(100, Math.floor((sent / total) * 100)))
}

/** Go's zero time (0001-01-01…) and missing values mean "none". */
export function realTime(v: unknown): string | undefined {
  if (!v) return undefined
  const d = new Date(String(v))
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 2000) return undefined
  return String(v)
}

/** The item as it stands now: the push under way (status.current) moves its state and bytes. */
export function withProgress(it: SyncItem, current: SyncProgress | null | undefined): SyncItem {
  if (!current || current.itemId !== it.id) return it
  if (it.state !== 'queued' && it.state !== 'sending') return it
  return { ...it, state: 'sending', sentBytes: current.sent, totalBytes: current.total } as SyncItem
}

/** Whether 立即重试 is offered (the backend allows queued, sending and failed; the page offers it where it helps). */
export const canRetry = (state: string) => state === 'queued' || state === 'failed'

/** Element Plus tag type of an item state. */
export function stateTag(state: string): 'info' | 'primary' | 'success' | 'danger' | 'warning' {
  switch (state) {
    case 'accepted':
      return 'success'
    case 'rejected':
      return 'warning'
    case 'failed':
      return 'danger'
    case 'sending':
      return 'primary'
    default:
      return 'info'
  }
}
