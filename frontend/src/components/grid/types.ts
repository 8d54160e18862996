// The grid's view of one dataset. It knows nothing of the backend: the
// parent maps its catalog fields and stored rows onto these shapes and
// persists what the grid emits.

export type GridFieldType =
  | 'text'
  | 'integer'
  | 'money'
  | 'date'
  | 'enum'
  | 'idcard'
  | 'account'
  | 'region6'
  | 'region12'
  | 'phone'
  | 'attachment'

export interface GridOption {
  code: string
  label: string
}

export interface GridField {
  code: string
  label: string
  type: GridFieldType
  required: boolean
  help: string
  values?: GridOption[]
}

export interface GridIssue {
  // A field code, or something else (e.g. '') for an issue about the whole row.
  field: string
  code: string
  severity: 'error' | 'warning'
  message: string
}

export interface GridRow {
  id: number
  cells: Record<string, string>
  issues: GridIssue[]
}

// One cell edit as emitted by the grid.
export interface CellChange {
  id: number
  field: string
  value: string
}
