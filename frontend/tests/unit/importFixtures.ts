import type { ImportPreview } from '../../src/api/backend'

// The shape app.ImportService returns (importer.Result + uploadId, issuesTotal).
export function previewOf(over: Partial<ImportPreview> = {}): ImportPreview {
  return {
    uploadId: 'up1',
    sheet: 'Sheet1',
    headerRow: 1,
    columns: [
      { index: 0, letter: 'A', header: '姓名', field: 'name', label: '姓名' },
      { index: 1, letter: 'B', header: '身份证号码', field: 'id_number', label: '身份证号' },
      { index: 2, letter: 'C', header: '性别', field: '', label: '' },
    ],
    ignored: ['性别'],
    skipped: [],
    rows: 6,
    valid: 1,
    errorRows: 5,
    errors: 5,
    warnings: 0,
    issues: [
      { row: 7, column: 'B', field: 'id_number', label: '身份证号', code: 'duplicate', severity: 'error', message: '与第 2 行重复。' },
      { row: 3, column: 'B', field: 'id_number', label: '身份证号', code: 'id_checksum', severity: 'error', message: '校验位不对。' },
      { row: 3, column: 'H', field: 'phone', label: '联系电话', code: 'phone', severity: 'warning', message: '电话位数不对。' },
    ],
    revision: 4,
    committed: false,
    imported: 0,
    batchRows: 0,
    issuesTotal: 3,
    ...over,
  } as ImportPreview
}
