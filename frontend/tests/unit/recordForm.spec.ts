import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { i18n } from '../../src/i18n'
import RecordForm from '../../src/components/RecordForm.vue'
import type { GridField, GridRow } from '../../src/components/grid/types'

enableAutoUnmount(afterEach)

const fields: GridField[] = [
  { code: 'project_code', label: '项目编码', type: 'text', required: true, help: '' },
  {
    code: 'fund_category', label: '资金类别', type: 'enum', required: true, help: '',
    values: [{ code: 'social_assistance', label: '社会救助' }, { code: 'pension', label: '养老保障' }],
  },
]

describe('RecordForm list', () => {
  it('shows an enum by its label, whether the cell holds the code or the label', async () => {
    const rows: GridRow[] = [
      { id: 1, cells: { project_code: 'P-1', fund_category: 'social_assistance' }, issues: [] },
      { id: 2, cells: { project_code: 'P-2', fund_category: '养老保障' }, issues: [] },
      { id: 3, cells: { project_code: 'P-3', fund_category: 'unknown_code' }, issues: [] },
    ]
    const w = mount(RecordForm, {
      props: { fields, rows, readonly: true, masked: [] },
      global: { plugins: [ElementPlus, i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    const text = w.find('.list').text()
    expect(text).toContain('社会救助')
    expect(text).toContain('养老保障')
    expect(text).not.toContain('social_assistance')
    expect(text).toContain('unknown_code') // an unknown value is shown as stored, for the clerk to fix
  })
})
