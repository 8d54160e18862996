// Dates from Go arrive as RFC 3339 instants (often UTC). People read them
// as China time: 2028-11-23T16:30:00Z is already 24 November in the county.
const zone = 'Asia/Shanghai'

function parts(iso: unknown, withTime: boolean): Record<string, string> | null {
  const d = new Date(String(iso))
  if (Number.isNaN(d.getTime())) return null
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
  })
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]))
}

// formatDate: "2028-11-24"; '' for a missing or bad value.
export function formatDate(iso: unknown): string {
  const p = parts(iso, false)
  return p ? `${p.year}-${p.month}-${p.day}` : ''
}

// formatDateTime: "2028-11-24 00:30:00".
export function formatDateTime(iso: unknown): string {
  const p = parts(iso, true)
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}` : ''
}

// formatSize: file sizes as people read them: "512 B", "7.6 KB", "1.2 MB".
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
