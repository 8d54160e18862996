// Money as clerks type it, summed exactly in integer fen (分). A mirror of
// backend/fields/money.go ParseFen: the grid's 合计 must equal what the
// backend will store, so both accept and reject the same strings.
// Values are bigint: an amount may exceed 2^53 fen, and so may a total.

const MAX_INT64 = 9223372036854775807n

// foldWidth maps full-width ASCII (U+FF01..U+FF5E) to ASCII and the
// ideographic space to a space, as a Chinese IME produces "１２３４．５".
function foldWidth(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(s)) return s
  let out = ''
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0)
    else if (c === 0x3000) out += ' '
    else out += ch
  }
  return out
}

const BLANK = '\\s\\u200b\\u200c\\u200d\\u2060\\ufeff'
const trimRe = new RegExp(`^[${BLANK}]+|[${BLANK}]+$`, 'g')
function trimBlank(s: string): string {
  return s.replace(trimRe, '')
}

const DASHES = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\ufe63'])

export type MoneyProblem = 'money_empty' | 'money_format' | 'money_negative' | 'money_decimals' | 'money_overflow'

export type ParsedMoney = { ok: true; fen: bigint } | { ok: false; code: MoneyProblem }

function groupingOK(whole: string): boolean {
  const groups = whole.split(',')
  if (groups[0].length < 1 || groups[0].length > 3) return false
  return groups.slice(1).every((g) => g.length === 3)
}

const digitsRe = /^[0-9]+$/
// Fast paths for the common form "1234" / "1234.5" / "1234.50"; the short
// one stays exact as a Number of fen (13 digits * 100 < 2^53).
const plainRe = /^([0-9]{1,15})(?:\.([0-9]{1,2}))?$/
const shortRe = /^([0-9]{1,13})(?:\.([0-9]{1,2}))?$/

// parseMoney reads "1234.5", "1,234.50", "１２３４．５０", "￥1234.50",
// "1234元" and returns fen, or why it cannot. Negative amounts, more than
// two (non-zero) decimals, exponent forms and values beyond int64 are
// rejected; nothing is rounded.
export function parseMoney(s: string): ParsedMoney {
  const m = plainRe.exec(s)
  if (m) {
    const frac = m[2] ?? ''
    return { ok: true, fen: BigInt(m[1]) * 100n + BigInt((frac + '00').slice(0, 2)) }
  }
  let t = trimBlank(foldWidth(s))
  if (t === '') return { ok: false, code: 'money_empty' }
  for (const p of ['¥', '￥', 'RMB', 'rmb']) {
    if (t.startsWith(p)) {
      t = trimBlank(t.slice(p.length))
      break
    }
  }
  for (const suf of ['元整', '元']) {
    if (t.endsWith(suf)) {
      t = trimBlank(t.slice(0, t.length - suf.length))
      break
    }
  }
  if (t === '') return { ok: false, code: 'money_format' }
  const first = t[0]
  if (DASHES.has(first) || first === '(' || first === '（' || t.startsWith('负')) return { ok: false, code: 'money_negative' }
  if (/^[0-9]+(\.[0-9]*)?[eE][+-]?[0-9]+$/.test(t.replace(/,/g, ''))) return { ok: false, code: 'money_format' }
  const dot = t.indexOf('.')
  let whole = dot < 0 ? t : t.slice(0, dot)
  let frac = dot < 0 ? '' : t.slice(dot + 1)
  if (whole.includes(',')) {
    if (!groupingOK(whole)) return { ok: false, code: 'money_format' }
    whole = whole.replace(/,/g, '')
  }
  if ((whole === '' && frac === '') || (whole !== '' && !digitsRe.test(whole)) || (frac !== '' && !digitsRe.test(frac))) {
    return { ok: false, code: 'money_format' }
  }
  if (frac.length > 2) {
    if (/[^0]/.test(frac.slice(2))) return { ok: false, code: 'money_decimals' }
    frac = frac.slice(0, 2)
  }
  whole = whole.replace(/^0+/, '')
  if (whole.length > 18) return { ok: false, code: 'money_overflow' }
  const fen = BigInt(whole || '0') * 100n + BigInt((frac + '00').slice(0, 2))
  if (fen > MAX_INT64) return { ok: false, code: 'money_overflow' }
  return { ok: true, fen }
}

// parseFen: the amount in fen, or null when the string is not an amount.
export function parseFen(s: string): bigint | null {
  const r = parseMoney(s)
  return r.ok ? r.fen : null
}

// formatYuan shows fen as yuan with two decimals: "1234.50", or with
// thousands separators when grouped: "1,234.50".
export function formatYuan(fen: bigint, grouped = false): string {
  const neg = fen < 0n
  const u = neg ? -fen : fen
  let whole = (u / 100n).toString()
  if (grouped) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const f = (u % 100n).toString().padStart(2, '0')
  return `${neg ? '-' : ''}${whole}.${f}`
}

// formatYuanSign: "¥1,234.50", the form for screens.
export function formatYuanSign(fen: bigint): string {
  return fen < 0n ? `-¥${formatYuan(-fen, true)}` : `¥${formatYuan(fen, true)}`
}

export interface MoneySum {
  fen: bigint
  counted: number // cells that held an amount
  ignored: number // non-empty cells that are not an amount
  empty: number // blank cells
}

// sumFen adds the amounts among values exactly. Blank cells are neither
// counted nor ignored; anything else that is not an amount is ignored and
// counted as such, so the screen can say how many were left out.
export function sumFen(values: Iterable<string | undefined>): MoneySum {
  // Accumulate in Number while it is exact (< 2^53), flushing to bigint
  // before it could lose a fen: keeps 100,000 rows well under a frame.
  let fen = 0n
  let acc = 0
  let counted = 0
  let ignored = 0
  let empty = 0
  for (const v of values) {
    if (v === undefined || v === '' || trimBlank(v) === '') {
      empty++
      continue
    }
    const m = shortRe.exec(v)
    let n: bigint | number
    if (m) {
      const frac = m[2] ?? ''
      n = Number(m[1]) * 100 + (frac.length === 0 ? 0 : frac.length === 1 ? Number(frac) * 10 : Number(frac))
    } else {
      const p = parseMoney(v)
      if (!p.ok) {
        ignored++
        continue
      }
      n = p.fen
    }
    counted++
    if (typeof n === 'number' && acc + n < Number.MAX_SAFE_INTEGER) {
      acc += n
    } else {
      fen += BigInt(acc) + BigInt(n)
      acc = 0
    }
  }
  return { fen: fen + BigInt(acc), counted, ignored, empty }
}
