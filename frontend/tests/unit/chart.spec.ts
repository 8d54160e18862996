import { beforeAll, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { setPlatformAPI, type ECharts } from 'echarts/core'
import { i18n } from '../../src/i18n'
import MonthlyProgressChart from '../../src/components/charts/MonthlyProgressChart.vue'
import { giveElementsASize } from './testkit'

// jsdom has no layout; give elements a size so ECharts draws.
giveElementsASize(800, 300)
beforeAll(() => {
  // …and let it measure text without a canvas (jsdom has none).
  setPlatformAPI({ measureText: (text: string) => ({ width: text.length * 12 }) })
})

const months = [
  { month: '2026-01', submitted: 8, draft: 1, overdue: 1 },
  { month: '2026-02', submitted: 5, draft: 3, overdue: 0 },
  { month: '2026-03', submitted: 0, draft: 0, overdue: 0 },
]

type Series = { name: string; type: string; data: number[] }

describe('MonthlyProgressChart', () => {
  it('draws stacked bars and the submission rate with Chinese labels, and disposes on unmount', async () => {
    i18n.global.locale.value = 'zh-CN'
    const w = mount(MonthlyProgressChart, { attachTo: document.body, props: { months }, global: { plugins: [i18n, ElementPlus] } })
    await flushPromises()
    const chart = (w.vm as unknown as { chart: ECharts }).chart
    expect(chart).toBeTruthy()
    const opt = chart.getOption() as { series: Series[]; xAxis: { data: string[] }[] }
    expect(opt.series.map((s) => s.name)).toEqual(['已报送', '草稿', '逾期', '报送率'])
    expect(opt.series.map((s) => s.type)).toEqual(['bar', 'bar', 'bar', 'line'])
    expect(opt.series[0].data).toEqual([8, 5, 0])
    expect(opt.series[3].data).toEqual([80, 62.5, 0])
    expect(opt.xAxis[0].data).toEqual(['2026年1月', '2026年2月', '2026年3月'])
    expect(w.find('svg').exists()).toBe(true)

    await w.setProps({ months: months.slice(0, 1) })
    expect((chart.getOption() as { series: Series[] }).series[1].data).toEqual([1])

    w.unmount()
    expect(chart.isDisposed()).toBe(true)
  })

  it('says so when there are no months', async () => {
    const w = mount(MonthlyProgressChart, { props: { months: [] }, global: { plugins: [i18n, ElementPlus] } })
    await flushPromises()
    expect(w.text()).toContain('暂无月度数据')
    w.unmount()
  })
})
