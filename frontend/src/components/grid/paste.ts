// Pasting a block copied from Excel or WPS into the grid. Pure functions,
// no DOM: parseTsv reads the clipboard's text/plain, applyBlock decides
// which cells change and which rows are added.
import type { CellChange, GridFieldType, GridOption } from './types'

// parseTsv reads text/plain as Excel and WPS put it on the clipboard: cells
// separated by tabs, rows by CRLF (or LF, or CR), a line break after the
// last row, and a cell that holds a tab, a line break or a leading quote
// written in double quotes with inner quotes doubled. A quote that is never
// closed is taken literally, so a stray '"' cannot swallow the rest of the
// block. Returns [] for empty text.
export function parseTsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text === '') return []
  const rows: string[][] = []
  let row: string[] = []
  const n = text.length
  let i = 0
  for (;;) {
    let field: string | null = null
    if (text[i] === '"') field = quoted()
    if (field === null) {
      let j = i
      while (j < n) {
        const c = text.charCodeAt(j)
        if (c === 9 || c === 10 || c === 13) break
        j++
      }
      field = text.slice(i, j)
      i = j
    }
    row.push(field)
    if (i >= n) {
      rows.push(row)
      break
    }
    const c = text[i]
    if (c === '\t') {
      i++
      continue
    }
    // a line break: \r\n, \n or \r
    i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
    rows.push(row)
    row = []
    if (i >= n) break // the line break after the last row ends the block
  }
  return rows

  // quoted reads a quoted cell starting at text[i] and moves i past it, or
  // returns null (leaving i) when the quote does not open a proper cell.
  function quoted(): string | null {
    let out = ''
    let j = i + 1
    for (;;) {
      const k = text.indexOf('"', j)
      if (k < 0) return null
      if (text[k + 1] === '"') {
        out += text.slice(j, k) + '"'
        j = k + 2
        continue
      }
      const after = text[k + 1]
      if (after === undefined || after === '\t' || after === '\n' || after === '\r') {
        out += text.slice(j, k)
        i = k + 1
        return out
      }
      return null // "abc"def: not a quoted cell, read it as it is
    }
  }
}

const BLANK = '\\s\\u200b\\u200c\\u200d\\u2060\\ufeff'
const trimRe = new RegExp(`^[${BLANK}]+|[${BLANK}]+$`, 'g')

// trimCell drops spaces of every kind (including no-break and zero-width)
// from both ends: they come with text from web pages and Word, never on
// purpose.
export function trimCell(s: string): string {
  return s.replace(trimRe, '')
}

export interface PasteColumn {
  code: string
  label: string
  type: GridFieldType
  values?: GridOption[]
}

// normalizeEnum maps what was typed or pasted to an option code: the code
// itself, or the option's label, ignoring case and surrounding spaces.
// Returns null when it matches nothing.
export function normalizeEnum(value: string, values: GridOption[] | undefined): string | null {
  const v = trimCell(value)
  if (v === '') return ''
  if (!values) return null
  for (const o of values) if (o.code === v) return o.code
  for (const o of values) if (o.label === v) return o.code
  const lower = v.toLowerCase()
  for (const o of values) if (o.code.toLowerCase() === lower || o.label.toLowerCase() === lower) return o.code
  return null
}

// normalizeCell is what the grid stores for a typed or pasted value:
// trimmed, and an enum label turned into its code. A value that matches no
// enum option is kept as typed (the backend's check says what is wrong).
export function normalizeCell(col: Pick<PasteColumn, 'type' | 'values'>, raw: string): { value: string; unknownEnum: boolean } {
  if (col.type === 'enum') {
    const code = normalizeEnum(raw, col.values)
    if (code === null) return { value: trimCell(raw), unknownEnum: true }
    return { value: code, unknownEnum: false }
  }
  return { value: trimCell(raw), unknownEnum: false }
}

export interface PasteTarget {
  columns: PasteColumn[] // the grid's data columns in display order
  rowCount: number // rows in the current view
  rowId(pos: number): number // the id of the view row at pos
  // The stored value, or undefined when the grid does not know it (a masked
  // field): then the pasted value is always written.
  current(pos: number, code: string): string | undefined
  canAppend: boolean // false while a filter hides rows, or when read-only
}

export interface PasteResult {
  changes: CellChange[]
  newRows: Record<string, string>[]
  rows: number // block rows that landed on existing or new rows
  cols: number // block columns that landed on grid columns
  ignoredColumns: number // block columns beyond the last grid column
  ignoredRows: number // block rows beyond the last row that could not be added
  skippedHeader: boolean // the block's first row repeated the column titles
  skippedTotal: boolean // the block's last row was a 合计 row
  unknownEnum: number // cells whose value is not one of the options
  attachmentCells: number // non-empty cells aimed at attachment columns
}

const totalRe = /^(合\s*计|总\s*计|小\s*计|共\s*计)[:：]?$/

// A label as it appears in a template header: "*姓名", "姓名（必填）".
function headerText(s: string): string {
  return trimCell(s)
    .replace(/^[*＊]+|[*＊]+$/g, '')
    .replace(/[(（]必填[)）]$/, '')
    .trim()
}

function isHeaderRow(cells: string[], columns: PasteColumn[], col: number): boolean {
  let matched = 0
  for (let k = 0; k < cells.length && col + k < columns.length; k++) {
    const v = headerText(cells[k])
    if (v === '') continue
    if (v !== columns[col + k].label && v !== columns[col + k].code) return false
    matched++
  }
  return matched > 0
}

function isTotalRow(cells: string[]): boolean {
  const first = cells.find((c) => trimCell(c) !== '')
  return first !== undefined && totalRe.test(trimCell(first))
}

// applyBlock lays block (rows of cells) over the grid with its top-left
// cell at view row `at.row`, column `at.col`, filling right and down.
// Cells that would not change are left out; rows beyond the end become new
// rows when the target allows it (trailing blank rows are not added);
// columns beyond the last are ignored and counted. A first row that repeats
// the column titles and a last row that is a 合计 row are skipped, as clerks
// often copy those from a template along with the data.
export function applyBlock(block: string[][], at: { row: number; col: number }, target: PasteTarget): PasteResult {
  const res: PasteResult = {
    changes: [],
    newRows: [],
    rows: 0,
    cols: 0,
    ignoredColumns: 0,
    ignoredRows: 0,
    skippedHeader: false,
    skippedTotal: false,
    unknownEnum: 0,
    attachmentCells: 0,
  }
  const { columns } = target
  if (block.length === 0 || at.col < 0 || at.col >= columns.length || at.row < 0) return res
  let rows = block
  if (rows.length > 1 && isHeaderRow(rows[0], columns, at.col)) {
    rows = rows.slice(1)
    res.skippedHeader = true
  }
  if (rows.length > 1 && isTotalRow(rows[rows.length - 1])) {
    rows = rows.slice(0, -1)
    res.skippedTotal = true
  }
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0)
  res.cols = Math.min(width, columns.length - at.col)
  res.ignoredColumns = width - res.cols

  // Rows beyond the end: drop trailing blank ones, then add or ignore.
  let last = rows.length
  while (last > 0 && at.row + last - 1 >= target.rowCount && rows[last - 1].every((c) => trimCell(c) === '')) last--

  for (let r = 0; r < last; r++) {
    const pos = at.row + r
    const existing = pos < target.rowCount
    if (!existing && !target.canAppend) {
      res.ignoredRows = last - r
      break
    }
    const cells = rows[r]
    const fresh: Record<string, string> = {}
    const id = existing ? target.rowId(pos) : 0
    for (let k = 0; k < res.cols && k < cells.length; k++) {
      const col = columns[at.col + k]
      if (col.type === 'attachment') {
        if (trimCell(cells[k]) !== '') res.attachmentCells++
        continue
      }
      const { value, unknownEnum } = normalizeCell(col, cells[k])
      if (unknownEnum) res.unknownEnum++
      if (existing) {
        if (target.current(pos, col.code) !== value) res.changes.push({ id, field: col.code, value })
      } else if (value !== '') {
        fresh[col.code] = value
      }
    }
    if (!existing) res.newRows.push(fresh)
    res.rows++
  }
  return res
}
