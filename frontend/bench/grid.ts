// Bench-only entry (vite.bench.config.ts): DataGrid over 100,000 generated
// rows, with a parent that applies edits the way a real one would (new row
// objects, new array). tests/bench/grid-scroll.mjs drives it. Not part of
// the app build.
import { createApp, defineComponent, h, shallowRef } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import { i18n } from '../src/i18n'
import DataGrid from '../src/components/grid/DataGrid.vue'
import type { CellChange, GridField, GridRow } from '../src/components/grid/types'

const params = new URLSearchParams(location.search)
const N = Number(params.get('rows') ?? 100_000)

const fields: GridField[] = [
  { code: 'name', label: '姓名', type: 'text', required: true, help: '与身份证一致' },
  { code: 'idno', label: '身份证号', type: 'idcard', required: true, help: '18 位' },
  { code: 'sex', label: '性别', type: 'enum', required: true, help: '', values: [{ code: '1', label: '男' }, { code: '2', label: '女' }] },
  { code: 'village', label: '村（社区）', type: 'text', required: true, help: '' },
  { code: 'region', label: '村级区划代码', type: 'region12', required: false, help: '' },
  { code: 'account', label: '一卡通账号', type: 'account', required: true, help: '' },
  { code: 'amount', label: '补助金额（元）', type: 'money', required: true, help: '' },
  { code: 'paid', label: '发放日期', type: 'date', required: false, help: '' },
  { code: 'phone', label: '联系电话', type: 'phone', required: false, help: '' },
  { code: 'note', label: '备注', type: 'text', required: false, help: '' },
  { code: 'files', label: '附件', type: 'attachment', required: false, help: '' },
]
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英'
const villages = ['东风村', '红旗村', '前进村', '新华村', '团结村', '和平村', '胜利村', '光明村']

function makeRows(n: number): GridRow[] {
  const rows: GridRow[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const tail = String(1000 + (i % 9000))
    const row: GridRow = {
      id: i + 1,
      cells: {
        name: surnames[i % surnames.length] + given[(i * 7) % given.length] + (i % 3 === 0 ? given[(i * 13) % given.length] : ''),
        idno: `110***********${tail}`,
        sex: i % 2 ? '1' : '2',
        village: villages[i % villages.length],
        region: `1101050010${String(i % 100).padStart(2, '0')}`,
        account: `6222***********${tail}`,
        amount: i % 997 === 0 ? '一百' : `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`,
        paid: `2026-0${1 + (i % 9)}-1${i % 10}`,
        phone: `139${String(10000000 + i).slice(-8)}`,
        note: i % 11 === 0 ? '低保户' : '',
        files: '',
      },
      issues: [],
    }
    if (i % 50 === 7) row.issues.push({ field: 'idno', code: 'id_checksum', severity: 'error', message: '身份证号校验码不对，请核对。' })
    if (i % 30 === 3) row.issues.push({ field: 'account', code: 'account_luhn', severity: 'warning', message: '账号未通过银行卡校验（存折可忽略）。' })
    rows[i] = row
  }
  return rows
}

const tGen = performance.now()
const initial = makeRows(N)
const genMs = performance.now() - tGen

const bench = {
  rows: N,
  genMs,
  mountStart: 0,
  firstRowsMs: -1,
  edits: [] as CellChange[][],
  lastApply: 0,
  grid: null as unknown,
}
;(window as unknown as { __bench: typeof bench }).__bench = bench

const Root = defineComponent({
  setup() {
    const rows = shallowRef<GridRow[]>(initial)
    const gridRef = shallowRef<unknown>(null)
    let nextId = N + 1
    function onEdit(changes: CellChange[]) {
      bench.edits.push(changes)
      const byId = new Map<number, CellChange[]>()
      for (const c of changes) byId.set(c.id, [...(byId.get(c.id) ?? []), c])
      rows.value = rows.value.map((r) => {
        const cs = byId.get(r.id)
        if (!cs) return r
        const cells = { ...r.cells }
        for (const c of cs) cells[c.field] = c.value
        return { ...r, cells, issues: r.issues.filter((i) => !cs.some((c) => c.field === i.field)) }
      })
      bench.lastApply = performance.now()
    }
    function onAdd(count: number, cells?: Record<string, string>[]) {
      const add: GridRow[] = []
      for (let i = 0; i < count; i++) add.push({ id: nextId++, cells: { ...(cells?.[i] ?? {}) }, issues: [] })
      rows.value = [...rows.value, ...add]
    }
    function onDelete(ids: number[]) {
      const s = new Set(ids)
      rows.value = rows.value.filter((r) => !s.has(r.id))
    }
    return () =>
      h(DataGrid, {
        ref: (r: unknown) => {
          gridRef.value = r
          bench.grid = r
        },
        fields,
        rows: rows.value,
        masked: ['idno', 'account'],
        readonly: false,
        loading: false,
        onEdit,
        'onAdd-rows': onAdd,
        'onDelete-rows': onDelete,
      })
  },
})

bench.mountStart = performance.now()
createApp(Root).use(i18n).use(ElementPlus).mount('#app')
function poll() {
  if (document.querySelector('[data-cell]')) bench.firstRowsMs = performance.now() - bench.mountStart
  else requestAnimationFrame(poll)
}
requestAnimationFrame(poll)
