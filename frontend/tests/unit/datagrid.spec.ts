import { afterEach, describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'
import DataGrid from '../../src/components/grid/DataGrid.vue'
import type { GridField, GridRow } from '../../src/components/grid/types'
import { giveElementsASize, settleFor } from './testkit'

const fields: GridField[] = [
  { code: 'name', label: '姓名', type: 'text', required: true, help: '' },
  { code: 'idno', label: '身份证号', type: 'idcard', required: true, help: '' },
  { code: 'sex', label: '性别', type: 'enum', required: false, help: '', values: [{ code: '1', label: '男' }, { code: '2', label: '女' }] },
  { code: 'amount', label: '补助金额', type: 'money', required: true, help: '' },
]

function rows(): GridRow[] {
  return [
    { id: 11, cells: { name: '张三', idno: '110***********1234', sex: '1', amount: '1200.5' }, issues: [] },
    { id: 12, cells: { name: '李四', idno: '110***********0018', sex: '2', amount: '300' }, issues: [{ field: 'idno', code: 'id_checksum', severity: 'error', message: '身份证号校验码不对，请核对。' }] },
    { id: 13, cells: { name: '王五', idno: '', sex: '', amount: 'abc' }, issues: [{ field: 'amount', code: 'money_format', severity: 'warning', message: '金额格式可疑。' }] },
  ]
}

giveElementsASize()

let w: VueWrapper | undefined
afterEach(() => {
  w?.unmount()
  w = undefined
})

const settle = () => settleFor(5, 20)

async function mountGrid(props: Record<string, unknown> = {}) {
  w = mount(DataGrid, {
    attachTo: document.body,
    props: { fields, rows: rows(), readonly: false, masked: ['idno'], loading: false, ...props },
    global: { plugins: [i18n, ElementPlus] },
  })
  await settle()
  return w
}

describe('DataGrid', () => {
  it('renders the rows, 序号 and every field', async () => {
    const g = await mountGrid()
    expect(g.find('[data-grid]').exists()).toBe(true)
    expect(g.find('[data-cell="0:name"]').text()).toBe('张三')
    expect(g.find('[data-cell="1:sex"]').text()).toBe('女') // enum shown by label
    expect(g.find('[data-cell="2:amount"] .dg-text').text()).toBe('abc')
    expect(g.text()).toContain('序号')
    expect(g.find('[data-testid="grid-footer"]').text()).toContain('共 3 行')
  })

  it('marks a cell with an error or a warning, with an icon and the message', async () => {
    const g = await mountGrid()
    const bad = g.find('[data-cell="1:idno"]')
    expect(bad.attributes('data-issue')).toBe('error')
    expect(bad.attributes('title')).toBe('身份证号校验码不对，请核对。')
    expect(bad.find('.dg-mark-error').text()).toBe('×')
    const warn = g.find('[data-cell="2:amount"]')
    expect(warn.attributes('data-issue')).toBe('warning')
    expect(warn.find('.dg-mark-warning').text()).toBe('!')
    expect(g.find('[data-cell="0:idno"]').attributes('data-issue')).toBeUndefined()
  })

  it('sums money columns exactly and says how many cells were left out', async () => {
    const g = await mountGrid()
    expect(g.find('[data-total="amount"]').text()).toBe('¥1,500.50')
    expect(g.find('[data-testid="grid-footer"]').text()).toContain('有 1 个单元格不是有效金额')
  })

  it('emits edit when a typed value is committed with Enter, and moves down', async () => {
    const g = await mountGrid()
    await g.find('[data-cell="0:name"]').trigger('click')
    await settle()
    const sink = g.find('[data-testid="grid-editor"]')
    expect(document.activeElement).toBe(sink.element)
    ;(sink.element as HTMLInputElement).value = '张三丰'
    await sink.trigger('input')
    await sink.trigger('keydown', { key: 'Enter' })
    expect(g.emitted('edit')).toEqual([[[{ id: 11, field: 'name', value: '张三丰' }]]])
    expect(g.find('[data-testid="grid-info"]').text()).toContain('第 2 行')
  })

  it('maps an enum label to its code, and Esc cancels an edit', async () => {
    const g = await mountGrid()
    await g.find('[data-cell="0:sex"]').trigger('click')
    const sink = g.find('[data-testid="grid-editor"]')
    ;(sink.element as HTMLInputElement).value = '女'
    await sink.trigger('input')
    await sink.trigger('keydown', { key: 'Tab' })
    expect(g.emitted('edit')).toEqual([[[{ id: 11, field: 'sex', value: '2' }]]])
    ;(sink.element as HTMLInputElement).value = 'x'
    await sink.trigger('input')
    await sink.trigger('keydown', { key: 'Escape' })
    expect(g.emitted('edit')).toHaveLength(1)
  })

  it('starts a masked cell empty and never clears it by accident', async () => {
    const g = await mountGrid()
    await g.find('[data-cell="0:idno"]').trigger('click')
    const sink = g.find('[data-testid="grid-editor"]')
    await sink.trigger('keydown', { key: 'F2' })
    expect((sink.element as HTMLInputElement).value).toBe('')
    await sink.trigger('keydown', { key: 'Enter' })
    expect(g.emitted('edit')).toBeUndefined()
    await sink.trigger('keydown', { key: 'ArrowUp' })
    await sink.trigger('keydown', { key: 'Delete' })
    expect(g.emitted('edit')).toEqual([[[{ id: 11, field: 'idno', value: '' }]]])
    expect(g.find('[data-testid="grid-reveal"]').exists()).toBe(true)
    await g.find('[data-testid="grid-reveal"]').trigger('click')
    expect(g.emitted('reveal')).toEqual([[11, 'idno']])
  })

  it('pastes a block from Excel: edits existing rows, adds the rest', async () => {
    const g = await mountGrid()
    await g.find('[data-cell="1:name"]').trigger('click')
    const sink = g.find('[data-testid="grid-editor"]')
    const ev = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown }
    ev.clipboardData = { getData: () => '赵六\t\r\n钱七\t110105194912310021\r\n孙八\t\r\n' }
    sink.element.dispatchEvent(ev)
    await settle()
    expect(g.emitted('edit')).toEqual([
      [
        [
          { id: 12, field: 'name', value: '赵六' },
          { id: 12, field: 'idno', value: '' },
          { id: 13, field: 'name', value: '钱七' },
          { id: 13, field: 'idno', value: '110105194912310021' },
        ],
      ],
    ])
    expect(g.emitted('add-rows')).toEqual([[1, [{ name: '孙八' }]]])
    expect(g.find('[data-testid="grid-notice"]').text()).toContain('已粘贴 3 行 2 列')
  })

  it('shows the rows the parent sends after an edit', async () => {
    const g = await mountGrid()
    const next = rows()
    next[0] = { ...next[0], cells: { ...next[0].cells, name: '张三丰', amount: '1000' } }
    await g.setProps({ rows: next })
    await settle()
    expect(g.find('[data-cell="0:name"]').text()).toBe('张三丰')
    expect(g.find('[data-total="amount"]').text()).toBe('¥1,300.00')
  })

  it('follows a parent that gives rows new cells and issues in place, in a new array', async () => {
    const data = rows()
    const g = await mountGrid({ rows: data })
    data[0].cells = { ...data[0].cells, amount: '200' }
    data[0].issues = [{ field: 'name', code: 'dup', severity: 'warning', message: '疑似重复。' }]
    data[1].issues = []
    await g.setProps({ rows: data.slice() })
    await settle()
    expect(g.find('[data-cell="0:amount"]').text()).toBe('200')
    expect(g.find('[data-cell="0:name"]').attributes('data-issue')).toBe('warning')
    expect(g.find('[data-cell="1:idno"]').attributes('data-issue')).toBeUndefined()
    expect(g.find('[data-total="amount"]').text()).toBe('¥500.00')
    const search = g.find('input[data-testid="grid-search"]')
    await search.setValue('疑似')
    await search.setValue('200')
    await search.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(g.find('[data-testid="grid-footer"]').text()).toContain('显示 1 行，共 3 行')
  })

  it('filters by search text and by issue', async () => {
    const g = await mountGrid()
    const search = g.find('input[data-testid="grid-search"]')
    await search.setValue('0018')
    await search.trigger('keydown', { key: 'Enter' })
    await settle()
    expect(g.find('[data-testid="grid-footer"]').text()).toContain('显示 1 行，共 3 行')
    expect(g.find('[data-cell="1:name"]').exists()).toBe(true)
    expect(g.find('[data-cell="0:name"]').exists()).toBe(false)
    await search.setValue('')
    await search.trigger('keydown', { key: 'Enter' })
    await g.findAll('[data-testid="grid-filter"] input')[2].setValue(true) // 只看有提示的行
    await settle()
    expect(g.find('[data-testid="grid-footer"]').text()).toContain('显示 1 行，共 3 行')
    expect(g.find('[data-cell="2:name"]').exists()).toBe(true)
  })

  it('read-only: no add or delete buttons, typing is refused', async () => {
    const g = await mountGrid({ readonly: true })
    expect(g.find('[data-testid="grid-add-row"]').exists()).toBe(false)
    await g.find('[data-cell="0:name"]').trigger('click')
    const sink = g.find('[data-testid="grid-editor"]')
    await sink.trigger('keydown', { key: 'a' })
    await sink.trigger('keydown', { key: 'Delete' })
    expect(g.emitted('edit')).toBeUndefined()
    expect(g.find('[data-testid="grid-notice"]').text()).toContain('只读')
  })

  it('the add-row button asks the parent for one row', async () => {
    const g = await mountGrid()
    await g.find('[data-testid="grid-add-row"]').trigger('click')
    expect(g.emitted('add-rows')).toEqual([[1]])
  })
})
