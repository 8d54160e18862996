// E2E: the review workflow (审核). The clerk 张敏 fills a roster, is stopped
// by an error (the error list jumps to it), fixes it, confirms a warning
// with a 说明 and submits; the reviewer 李强 finds the batch in the queue,
// notes a comment on a row and returns it (a too-short reason is refused);
// the clerk sees the banner and the row comment, fixes the row and submits
// again; the reviewer approves; the clerk sees 已审核 and the trail.
// Then the correction (更正) of that approved batch: the seal holds, the
// clerk makes version 2, changes an amount, is refused without a reason,
// gives it in 更正说明 and submits; the reviewer sees the diff and approves;
// the clerk opens the row's 历史 (both versions) and exports it. The two
// tests share one app: the second starts where the first ends.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { useApp, cell, focusedTestId, outDir, loginClerk, waitSaved, loginDemo, logout, periodText, openBatch, enterProject, paste } from './harness.mjs'

let page, dataDir
const { run } = useApp('e2e-review', (c) => ({ page, dataDir } = c))

// Element Plus puts a text box's test id on the <textarea> itself.
const textarea = (scope, id) => scope.locator(`textarea[data-testid="${id}"], [data-testid="${id}"] textarea`).first()

// Row 1's ID has a bad check digit (an error); row 2 pays 0 (a warning).
const rows = [
  ['王芳', '110105194912310012', '6228480402564890018', '某县农村信用社', '300', '410102001002', 'MSJ-2026-001'],
  ['李娜', '11010519491231002X', '6217000010001234569', '某县农村信用社', '0', '410102001002', 'MSJ-2026-001'],
]
  .map((r) => r.join('\t'))
  .join('\r\n')

async function openFromQueue(page) {
  await page.getByTestId('menu-review').click()
  const queue = page.getByTestId('review-queue-table')
  const row = queue.locator('tbody tr', { hasText: '个人补助资金发放表' })
  await row.waitFor()
  await row.getByRole('button', { name: '审核' }).click()
  await page.locator('[data-testid="review-batch"][data-ready="true"]').waitFor()
  return row
}

test('a clerk submits a roster, the reviewer returns it with a row comment, the clerk fixes and resubmits, the reviewer approves', () =>
  run('review', async () => {
    await loginClerk(page)

    // The project the roster points to.
    await enterProject(page)

    // The roster: two pasted rows.
    await openBatch(page, 'msj_roster')
    await page.getByTestId('grid-add-row').click()
    await cell(page, 0, 'name').click()
    await paste(page, rows)
    await page.locator('[data-cell="1:name"]').waitFor()
    await waitSaved(page)
    await page.locator('[data-cell="0:id_number"][data-issue="error"]').waitFor()
    await page.locator('[data-cell="1:amount"][data-issue="warning"]').waitFor()
    assert.match(await page.getByTestId('batch-status').textContent(), /草稿/)

    // 提交审核 with an error: refused, the error list has the keyboard.
    await page.getByTestId('batch-submit').click()
    const errors = page.getByTestId('submit-errors')
    await errors.waitFor()
    assert.match(await errors.textContent(), /批次还有 1 个错误，改正后才能提交审核/)
    assert.match(await errors.getByTestId('error-list').textContent(), /第 1 行 · 身份证号/)
    assert.equal(await focusedTestId(page), 'error-list')
    assert.equal(await page.getByTestId('submit-dialog').isVisible(), false)
    await page.screenshot({ path: join(outDir, 'e2e-review-submit-errors.png') })

    // Enter on the error jumps to the cell; typing the right number fixes it.
    await page.keyboard.press('Enter')
    assert.equal(await focusedTestId(page), 'grid-editor')
    assert.match(await page.getByTestId('grid-info').textContent(), /第 1 行 · 身份证号/)
    await page.keyboard.type('110105194912310011')
    await page.keyboard.press('Enter')
    await waitSaved(page)
    await page.locator('[data-cell="0:id_number"]:not([data-issue])').waitFor()
    await errors.waitFor({ state: 'hidden' })

    // The warning needs a 说明.
    await page.getByTestId('batch-submit').click()
    const submit = page.getByTestId('submit-dialog')
    await submit.getByTestId('submit-warnings').waitFor()
    assert.match(await submit.getByTestId('submit-warnings').textContent(), /第 2 行 · 补助金额.*补助金额为 0/)
    await page.waitForFunction(() => document.activeElement?.matches('[data-testid="submit-note"] textarea, textarea[data-testid="submit-note"]'))
    await submit.getByTestId('submit-confirm').click()
    await submit.getByText('请写明为什么这些提醒不影响提交').waitFor()
    await page.keyboard.type('第 2 行本月停发，金额为 0，已核实。')
    await submit.getByTestId('submit-confirm').click()
    await submit.waitFor({ state: 'hidden' })
    await page.getByTestId('batch-status').filter({ hasText: '已提交' }).waitFor()
    await page.getByTestId('readonly').waitFor()
    assert.equal(await page.getByTestId('grid-add-row').count(), 0)
    assert.equal(await page.getByTestId('batch-submit').count(), 0)
    await logout(page)

    // The reviewer's queue.
    await loginDemo(page, 'CAIJI-DEMO-REVIEWER')
    await page.getByTestId('menu-review').click()
    const queued = page.getByTestId('review-queue-table').locator('tbody tr', { hasText: '个人补助资金发放表' })
    await queued.waitFor()
    const line = (await queued.textContent()).replace(/\s+/g, ' ')
    assert.match(line, new RegExp(periodText))
    assert.match(line, /张敏/)
    assert.match(line, /今天/)
    assert.match(await page.getByTestId('review-queue-count').textContent(), /共 1 个/)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-review-queue.png') })

    await openFromQueue(page)
    assert.match(await page.getByTestId('review-submitted-by').textContent(), /张敏/)
    assert.match(await page.getByTestId('review-warnings-note').textContent(), /确认了 1 处提醒.*第 2 行本月停发/s)

    // The rows, read-only (a reviewer reads them through Entry.Rows), and
    // a comment on row 2's amount, noted from the grid. A first version:
    // nothing to compare, and the header says so.
    await page.locator('[data-cell="0:name"]').waitFor()
    assert.equal(await page.getByTestId('review-rows-error').count(), 0)
    assert.equal(await page.getByTestId('grid-add-row').count(), 0)
    assert.match(await page.getByTestId('review-first-version').textContent(), /首次报送，无对比版本/)
    assert.equal(await page.getByTestId('review-diff').count(), 0)
    await cell(page, 1, 'amount').click()
    assert.match(await page.getByTestId('row-comment-target').textContent(), /第 2 行/)
    await textarea(page, 'row-comment-text').fill('停发人员不列入发放表，请删除本行或补录金额')
    await page.getByTestId('row-comment-add').click()
    assert.match(await page.getByTestId('row-comment-list').textContent(), /第 2 行 · 补助金额.*停发人员不列入发放表/s)
    await page.locator('[data-cell="1:amount"][title*="审核意见"]').waitFor()
    await page.screenshot({ path: join(outDir, 'e2e-review-batch.png') })

    // 退回: a two-character reason is refused in the dialog.
    await page.getByTestId('review-return').click()
    const ret = page.getByTestId('return-dialog')
    await ret.getByTestId('return-row-list').waitFor()
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA')
    await page.keyboard.type('不对')
    await ret.getByTestId('return-confirm').click()
    await ret.getByText('请写明退回原因（至少 4 个字）').waitFor()
    await textarea(ret, 'return-comment-input').fill('第 2 行补助金额为 0，停发人员不应列入本月发放表，请修改后重新提交。')
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-review-return-dialog.png') })
    await page.keyboard.press('Control+Enter')
    await ret.waitFor({ state: 'hidden' })
    await page.getByTestId('review-status').filter({ hasText: '已退回' }).waitFor()
    await page.getByTestId('review-not-pending').waitFor()
    await page.getByTestId('review-batch').getByRole('button', { name: '返回待审核列表' }).first().click()
    await page.getByTestId('review-queue-table').getByText('目前没有待审核的批次。').waitFor()
    await logout(page)

    // The clerk sees why, on the banner and on the row.
    await loginClerk(page)
    await page.getByTestId('stat-returned').filter({ hasText: '1' }).waitFor()
    await openBatch(page, 'msj_roster')
    await page.getByTestId('batch-status').filter({ hasText: '已退回' }).waitFor()
    const banner = page.getByTestId('return-banner')
    await banner.waitFor()
    assert.match(await banner.getByTestId('return-comment').textContent(), /停发人员不应列入本月发放表/)
    assert.match(await banner.getByTestId('return-by').textContent(), /李强 于 .* 退回/)
    const rowComment = banner.getByTestId('return-row-comments').getByRole('button', { name: /第 2 行 · 补助金额/ })
    assert.match(await rowComment.textContent(), /停发人员不列入发放表/)
    const marked = page.locator('[data-cell="1:amount"][data-issue]')
    await marked.waitFor()
    assert.match(await marked.getAttribute('title'), /审核意见：停发人员不列入发放表/)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-review-returned-clerk.png') })

    // The row comment jumps to the cell; the clerk fixes it and resubmits.
    await rowComment.click()
    assert.equal(await focusedTestId(page), 'grid-editor')
    assert.match(await page.getByTestId('grid-info').textContent(), /第 2 行 · 补助金额/)
    await page.keyboard.type('450')
    await page.keyboard.press('Enter')
    await waitSaved(page)
    await page.locator('[data-cell="1:amount"]').filter({ hasText: '450' }).waitFor()
    await page.getByTestId('batch-submit').click()
    await submit.waitFor()
    // No warning is left: nothing to explain.
    await submit.getByTestId('submit-clean').waitFor()
    await submit.getByTestId('submit-confirm').click()
    await submit.waitFor({ state: 'hidden' })
    await page.getByTestId('batch-status').filter({ hasText: '已提交' }).waitFor()
    await banner.waitFor({ state: 'detached' })
    await logout(page)

    // The reviewer approves.
    await loginDemo(page, 'CAIJI-DEMO-REVIEWER')
    await openFromQueue(page)
    await page.getByTestId('review-approve').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    assert.match(await box.textContent(), /审核通过后「个人补助资金发放表 · .*」（2 行）不能再修改/)
    await box.getByRole('button', { name: '审核通过' }).click()
    await page.getByTestId('review-status').filter({ hasText: '已审核' }).waitFor()
    // Signed on approval: the page checks the seal at once.
    assert.match(await page.locator('[data-testid="batch-seal"][data-state="valid"]').textContent(), /已由 李强 于 .* 签名确认，数据未被改动/)
    await logout(page)

    // The approval went to the demo platform at once: the clerk sees
    // 平台已接收 and the whole trail, sync steps included.
    await loginClerk(page)
    await openBatch(page, 'msj_roster')
    await page.getByTestId('batch-status').filter({ hasText: '平台已接收' }).waitFor()
    await page.getByTestId('batch-trail').click()
    const steps = page.getByTestId('trail-list').locator('[data-action]')
    await steps.first().waitFor()
    assert.deepEqual(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))), ['accept', 'queue', 'approve', 'submit', 'return', 'submit'])
    const trailText = await page.getByTestId('trail-list').textContent()
    assert.match(trailText, /退回.*李强.*意见：第 2 行补助金额为 0/s)
    assert.match(trailText, /确认了 1 处提醒.*说明：第 2 行本月停发/s)
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(outDir, 'e2e-review-trail.png') })
  }),
)

// Files under a directory, recursively (the export lands in the data directory's 导出/).
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile())
}

test('the clerk corrects the approved roster with a reason, the reviewer approves the diff, the history shows both versions', () =>
  run('correction', async () => {
    // Where the first test ended: the clerk, the approved roster (version 1),
    // its trail open.
    await page.keyboard.press('Escape')
    await page.getByTestId('trail-list').waitFor({ state: 'hidden' })
    await openBatch(page, 'msj_roster')
    await page.getByTestId('batch-status').filter({ hasText: '平台已接收' }).waitFor()
    const seal = page.locator('[data-testid="batch-seal"][data-state="valid"]')
    await seal.waitFor()
    assert.match(await seal.textContent(), /已由 李强 于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 签名确认，数据未被改动/)
    assert.match(await page.getByTestId('readonly').textContent(), /如需修改，由录入员点「更正」/)
    assert.equal(await page.getByTestId('batch-row-history').count(), 0) // never corrected: no history yet

    // 更正: the dialog explains, and version 2 opens as a draft.
    await page.getByTestId('correction-open').click()
    const steps = page.getByTestId('correction-steps')
    await steps.waitFor()
    assert.match(await steps.textContent(), /创建本批次的新版本（版本 2）.*当前版本（版本 1）原样保留/s)
    await page.getByTestId('correction-confirm').click()
    await page.getByTestId('batch-version').filter({ hasText: '版本 2（更正版本 1）' }).waitFor()
    await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()
    await page.getByTestId('batch-status').filter({ hasText: '草稿' }).waitFor()
    assert.equal(await page.getByTestId('batch-seal').count(), 0) // a draft is not signed
    const panel = page.getByTestId('correction-panel')
    await panel.getByTestId('correction-empty').waitFor()
    assert.match(await panel.getByTestId('correction-title').textContent(), /更正说明/)

    // Row 1's amount: 300 → 320. The change is listed with a reason to give.
    await cell(page, 0, 'amount').click()
    await page.keyboard.type('320')
    await page.keyboard.press('Enter')
    await waitSaved(page)
    const change = panel.getByTestId('correction-change')
    await change.waitFor()
    assert.equal(await change.count(), 1)
    assert.match((await change.textContent()).replace(/\s+/g, ''), /修改第1行.*补助金额[^：]*：300(\.00)?→320(\.00)?/)
    await panel.getByTestId('correction-missing').waitFor()
    assert.match(await page.getByTestId('batch-missing-reasons').textContent(), /1 处更正未填原因/)

    // 定位 puts the grid on the changed cell.
    await change.getByTestId('correction-locate').click()
    assert.match(await page.getByTestId('grid-info').textContent(), /第 1 行 · 补助金额/)

    // Submitting without the reason: the backend refuses and says where.
    await page.getByTestId('batch-submit').click()
    const submit = page.getByTestId('submit-dialog')
    await submit.getByTestId('submit-clean').waitFor()
    await submit.getByTestId('submit-confirm').click()
    const refusal = submit.getByTestId('submit-refusal')
    await refusal.waitFor()
    assert.match(await refusal.textContent(), /还有 1 处更正没有填写原因，请在「更正说明」中逐行填写后再提交。/)
    await submit.getByTestId('submit-cancel').click()
    await submit.waitFor({ state: 'hidden' })
    await page.getByTestId('batch-status').filter({ hasText: '草稿' }).waitFor()

    // The reason, in 更正说明: Enter saves it.
    const reasonBox = panel.locator('input[data-reason-input]').first()
    await reasonBox.click()
    await page.keyboard.type('县民政局通知补助标准调整为每人每月 320 元')
    await page.keyboard.press('Enter')
    await panel.getByTestId('correction-all-given').waitFor()
    await page.getByTestId('batch-missing-reasons').waitFor({ state: 'detached' })
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-correction-panel.png') })

    // The panel folds to a tab (the grid gets the width) and unfolds.
    await page.getByTestId('batch-correction-collapse').click()
    await page.getByTestId('batch-correction').waitFor({ state: 'hidden' })
    await page.getByTestId('batch-correction-expand').click()
    await page.getByTestId('batch-correction').waitFor()

    await page.getByTestId('batch-submit').click()
    await submit.getByTestId('submit-clean').waitFor()
    await submit.getByTestId('submit-confirm').click()
    await submit.waitFor({ state: 'hidden' })
    await page.getByTestId('batch-status').filter({ hasText: '已提交' }).waitFor()
    // Submitted: the panel is the read-only diff now.
    await panel.locator('[data-testid="correction-title"]', { hasText: '与版本 1 相比的更改' }).waitFor()
    await logout(page)

    // The reviewer: the correction in the queue, its diff above the rows.
    await loginDemo(page, 'CAIJI-DEMO-REVIEWER')
    await page.getByTestId('menu-review').click()
    const queued = page.getByTestId('review-queue-table').locator('tbody tr', { hasText: '个人补助资金发放表' })
    await queued.waitFor()
    assert.match(await queued.getByTestId('review-queue-correction').textContent(), /更正 · 版本 2/)
    await queued.getByRole('button', { name: '审核' }).click()
    await page.locator('[data-testid="review-batch"][data-ready="true"]').waitFor()
    assert.match(await page.getByTestId('review-version').textContent(), /版本 2（更正版本 1）/)
    const diff = page.getByTestId('review-diff')
    const diffChange = diff.getByTestId('correction-change')
    await diffChange.waitFor()
    assert.match(await diff.getByTestId('correction-title').textContent(), /与版本 1 相比的更改/)
    const diffText = (await diffChange.textContent()).replace(/\s+/g, '')
    assert.match(diffText, /修改第1行/)
    assert.match(diffText, /补助金额[^：]*：300(\.00)?→320(\.00)?/)
    assert.match(diffText, /更正原因：县民政局通知补助标准调整为每人每月320元/)
    assert.match(await diffChange.locator('del').textContent(), /^300(\.00)?$/)
    assert.match(await diffChange.locator('strong').textContent(), /^320(\.00)?$/)
    await page.locator('[data-cell="0:amount"]').filter({ hasText: '320' }).waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-correction-review-diff.png') })

    await page.getByTestId('review-approve').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await box.getByRole('button', { name: '审核通过' }).click()
    await page.getByTestId('review-status').filter({ hasText: '已审核' }).waitFor()
    await page.locator('[data-testid="batch-seal"][data-state="valid"]').waitFor()
    await logout(page)

    // The clerk: version 2 approved and sealed; version 1 says it is old.
    await loginClerk(page)
    await openBatch(page, 'msj_roster')
    await page.getByTestId('batch-version').filter({ hasText: '版本 2（更正版本 1）' }).waitFor()
    await page.getByTestId('batch-status').filter({ hasText: '平台已接收' }).waitFor()
    await page.locator('[data-testid="batch-seal"][data-state="valid"]').waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-correction-sealed.png') })
    await page.getByTestId('batch-open-base').click()
    const old = page.getByTestId('batch-superseded')
    await old.waitFor()
    assert.match(await old.textContent(), /这是旧版本（版本 1），已被更正/)
    assert.equal(await page.getByTestId('correction-open').count(), 0)
    await page.locator('[data-cell="0:amount"]').filter({ hasText: '300' }).waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-correction-old-version.png') })
    await page.getByTestId('batch-open-latest').click()
    await page.getByTestId('batch-version').filter({ hasText: '版本 2' }).waitFor()
    await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()

    // 历史 of row 1: version 1 with 300, version 2 with 320 highlighted and the reason.
    await cell(page, 0, 'name').click()
    await page.getByTestId('batch-row-history').click()
    const table = page.getByTestId('history-table')
    await table.waitFor()
    await page.locator('.el-dialog__title', { hasText: '更正记录 · 第 1 行' }).waitFor()
    assert.deepEqual(
      (await table.getByTestId('history-version').allTextContents()).map((s) => s.replace(/\s+/g, '')),
      ['版本1', '版本2当前'],
    )
    const amounts = table.locator('tr[data-field="amount"] [data-testid="history-cell"]')
    assert.match(await amounts.nth(0).textContent(), /^\s*300(\.00)?\s*$/)
    assert.equal(await amounts.nth(0).getAttribute('data-changed'), 'false')
    assert.match(await amounts.nth(1).textContent(), /320(\.00)?（已更改）/)
    assert.equal(await amounts.nth(1).getAttribute('data-changed'), 'true')
    assert.equal(await table.locator('tr[data-field="name"] [data-testid="history-cell"]').nth(1).getAttribute('data-changed'), 'false')
    const reasons = await table.getByTestId('history-reason').allTextContents()
    assert.equal(reasons[0].trim(), '')
    assert.match(reasons[1], /县民政局通知补助标准调整为每人每月 320 元/)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-correction-history.png') })

    // 导出 Excel: saved under the data directory, named in the notice.
    const before = new Set(filesUnder(dataDir))
    await page.getByTestId('history-export').click()
    const notice = page.getByTestId('saved-file-name')
    await notice.waitFor()
    assert.match(await notice.textContent(), /更正记录/)
    const added = filesUnder(dataDir).filter((f) => !before.has(f) && /更正记录.*\.xlsx$/.test(f))
    assert.equal(added.length, 1, `one history workbook saved, got ${added.join(', ')}`)
    assert.ok(statSync(added[0]).size > 1000)
    await page.getByTestId('history-close').click()
    await table.waitFor({ state: 'hidden' })
  }),
)
