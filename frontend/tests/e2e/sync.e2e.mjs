// E2E: sync (同步) with the bundled platform simulator that demo mode
// starts. The clerk 张敏 submits a valid roster; the simulator is told to
// refuse row 1 (a fault, as the provincial comparison would); the
// reviewer 李强 approves and the worker sends at once: 同步 shows 已拒收,
// the 回执 has a verified signature and the row's reason. The clerk goes
// from 同步 to the batch (打开批次), sees the platform's reason in a
// banner and on the cell, and 定位 jumps there; its 更正 (version 2) shows
// the same row, placed on the correction's rows. Then, faults reset, the
// project master table goes through and shows 已接收, and the simulator
// holds it exactly once. The two tests share one app.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { useApp, cell, focusedTestId, sleep, outDir, loginClerk, waitSaved, loginDemo, logout, periodText, openBatch, enterProject, paste } from './harness.mjs'

let page, dataDir
const { run } = useApp('e2e-sync', (c) => ({ page, dataDir } = c))

// The simulator's address: demo mode writes it after start-up.
async function simURL() {
  const file = join(dataDir, 'platform-sim', 'url')
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(100)
  return readFileSync(file, 'utf8').trim()
}

async function setFaults(faults) {
  const res = await fetch(`${await simURL()}/_sim/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(faults) })
  assert.equal(res.status, 200, `set faults: ${res.status} ${await res.text()}`)
}

async function simBatches() {
  const res = await fetch(`${await simURL()}/_sim/batches`)
  assert.equal(res.status, 200)
  return (await res.json()).items
}

const deceased = '该身份证号在民政部门死亡人员名单中（模拟平台比对），请核实后删除或更正'

// Two valid rows: no errors, no warnings.
const rows = [
  ['王芳', '110105194912310011', '6228480402564890018', '某县农村信用社', '300', '410102001002', 'MSJ-2026-001'],
  ['李娜', '11010519491231002X', '6217000010001234569', '某县农村信用社', '450', '410102001002', 'MSJ-2026-001'],
]
  .map((r) => r.join('\t'))
  .join('\r\n')

async function submitClean(page) {
  await page.getByTestId('batch-submit').click()
  const submit = page.getByTestId('submit-dialog')
  await submit.getByTestId('submit-clean').waitFor()
  await submit.getByTestId('submit-confirm').click()
  await submit.waitFor({ state: 'hidden' })
  await page.getByTestId('batch-status').filter({ hasText: '已提交' }).waitFor()
}

async function approveFromQueue(page, datasetName) {
  await page.getByTestId('menu-review').click()
  const row = page.getByTestId('review-queue-table').locator('tbody tr', { hasText: datasetName })
  await row.waitFor()
  await row.getByRole('button', { name: '审核' }).click()
  await page.locator('[data-testid="review-batch"][data-ready="true"]').waitFor()
  await page.getByTestId('review-approve').click()
  const box = page.locator('.el-message-box')
  await box.waitFor()
  await box.getByRole('button', { name: '审核通过' }).click()
  await page.getByTestId('review-status').filter({ hasText: /已审核|待同步|平台/ }).waitFor()
}

// The 同步 page's row of a dataset, once its state tag reads label.
async function syncRow(page, datasetName, label) {
  const row = page.getByTestId('sync-table').locator('tbody tr', { hasText: datasetName })
  await row.locator('[data-testid="sync-state"]', { hasText: label }).waitFor({ timeout: 30000 })
  return row
}

test('the platform rejects a row: 同步 shows 已拒收 with a verified receipt, the clerk sees the reason on the batch and 定位 goes there', () =>
  run('sync-rejected', async () => {
    const t0 = Date.now()
    await loginClerk(page)
    // Logged in with a key: the worker reaches the demo platform.
    const indicator = page.getByTestId('sync-indicator')
    await indicator.waitFor()
    await page.locator('[data-testid="sync-indicator"][data-link="online"]').waitFor({ timeout: 20000 })
    assert.match(await indicator.textContent(), /平台在线.*待报送 0/s)

    await enterProject(page)
    await openBatch(page, 'msj_roster')
    await page.getByTestId('grid-add-row').click()
    await cell(page, 0, 'name').click()
    await paste(page, rows)
    await page.locator('[data-cell="1:name"]').waitFor()
    await waitSaved(page)
    await submitClean(page)
    await logout(page)

    // The platform will refuse row 1 of every batch.
    await setFaults({ rejectRows: { '*': [{ row: 1, field: 'id_number', message: deceased }] } })

    // The reviewer approves; the worker sends at once.
    await loginDemo(page, 'CAIJI-DEMO-REVIEWER')
    await approveFromQueue(page, '个人补助资金发放表')
    await page.getByTestId('sync-indicator').click()
    await page.getByTestId('sync-page').waitFor()
    const row = await syncRow(page, '个人补助资金发放表', '已拒收')
    const line = (await row.textContent()).replace(/\s+/g, ' ')
    assert.match(line, new RegExp(periodText))
    assert.equal(await row.getByTestId('sync-open-batch').count(), 0) // the reviewer has no entry page
    assert.equal(await row.getByTestId('sync-retry').count(), 0)
    assert.match(await page.getByTestId('sync-link').textContent(), /在线/)
    assert.match(await page.getByTestId('sync-platform').textContent(), /演示平台.*http:\/\/127\.0\.0\.1:\d+\/api\/v1/s)
    await page.getByTestId('sync-count-rejected').filter({ hasText: /^\s*1\s*已拒收/ }).waitFor()
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-sync-page.png') })

    // 回执: verified against the platform key, the refused row listed.
    await row.getByTestId('sync-receipt').click()
    const dlg = page.getByTestId('receipt-dialog')
    const check = dlg.locator('[data-testid="receipt-check"][data-verified]:not([data-verified=""])')
    await check.waitFor()
    assert.match(await check.textContent(), /回执签名已核验（平台公钥 SHA-256 [0-9a-f]{16}…）/)
    assert.match(await dlg.getByTestId('receipt-uid').textContent(), /msj_roster/)
    assert.match(await dlg.getByTestId('receipt-sha').textContent(), /^[0-9a-f]{64}$/)
    assert.match(await dlg.getByTestId('receipt-status').textContent(), /已拒收/)
    const refusedRows = dlg.getByTestId('receipt-rejected')
    assert.match(await refusedRows.textContent(), /第 1 行 · 身份证号/)
    assert.ok((await refusedRows.textContent()).includes(deceased))
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-sync-receipt.png') })
    await page.keyboard.press('Escape')
    await dlg.waitFor({ state: 'hidden' })
    await logout(page)

    // The clerk: from 同步 to the batch, the reason on the banner and the cell.
    await loginClerk(page)
    await page.getByTestId('menu-sync').click()
    const clerkRow = await syncRow(page, '个人补助资金发放表', '已拒收')
    await clerkRow.getByTestId('sync-open-batch').click()
    await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()
    await page.getByTestId('batch-status').filter({ hasText: '平台退回' }).waitFor()
    const banner = page.getByTestId('platform-banner')
    await banner.waitFor()
    assert.equal((await banner.getByTestId('platform-banner-title').textContent()).trim(), '省级平台拒收了 1 行')
    assert.match(await banner.getByTestId('platform-banner-hint').textContent(), /请点击「更正」新建版本，按各行说明修改后重新提交审核；审核通过后会自动报送。/)
    const issue = banner.getByTestId('platform-issue')
    assert.match(await issue.textContent(), /第 1 行 · 身份证号：/)
    assert.ok((await issue.textContent()).includes(deceased))
    const marked = page.locator('[data-cell="0:id_number"][data-issue]')
    await marked.waitFor()
    assert.ok((await marked.getAttribute('title')).includes(`省级平台拒收：${deceased}`))
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-sync-batch-banner.png') })

    await issue.getByTestId('platform-locate').click()
    assert.equal(await focusedTestId(page), 'grid-editor')
    assert.match(await page.getByTestId('grid-info').textContent(), /第 1 行 · 身份证号/)

    // 更正: version 2 opens as a draft, the refused row placed on its rows.
    await page.getByTestId('correction-open').click()
    await page.getByTestId('correction-confirm').click()
    await page.getByTestId('batch-version').filter({ hasText: '版本 2' }).waitFor()
    await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()
    await page.getByTestId('batch-status').filter({ hasText: '草稿' }).waitFor()
    const draftBanner = page.getByTestId('platform-banner')
    await draftBanner.getByTestId('platform-banner-title').filter({ hasText: '上一版本被省级平台拒收了 1 行' }).waitFor()
    const draftIssue = draftBanner.getByTestId('platform-issue')
    assert.match(await draftIssue.textContent(), /第 1 行 · 身份证号：/)
    await page.locator('[data-cell="0:id_number"][data-issue]').waitFor()
    await draftIssue.getByTestId('platform-locate').click()
    assert.equal(await focusedTestId(page), 'grid-editor')
    assert.match(await page.getByTestId('grid-info').textContent(), /第 1 行 · 身份证号/)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-sync-correction-banner.png') })
    console.log(`sync rejected flow: ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  }),
)

test('with faults reset, another batch is accepted and the simulator holds it once', () =>
  run('sync-accepted', async () => {
    await setFaults({})
    // The clerk's project master table (entered above) goes for review.
    await openBatch(page, 'msj_project')
    await submitClean(page)
    await logout(page)

    await loginDemo(page, 'CAIJI-DEMO-REVIEWER')
    await approveFromQueue(page, '民生资金项目主表')
    await page.getByTestId('menu-sync').click()
    const row = await syncRow(page, '民生资金项目主表', '已接收')
    assert.equal(await row.getByTestId('sync-retry').count(), 0)
    await page.getByTestId('sync-count-accepted').filter({ hasText: /^\s*1\s*已接收/ }).waitFor()
    await page.locator('[data-testid="sync-indicator"]', { hasText: '待报送 0' }).waitFor()

    // Its receipt, and the simulator holds that version exactly once.
    await row.getByTestId('sync-receipt').click()
    const dlg = page.getByTestId('receipt-dialog')
    await dlg.locator('[data-testid="receipt-check"][data-verified="true"]').waitFor()
    const uid = (await dlg.getByTestId('receipt-uid').textContent()).trim()
    const sha = (await dlg.getByTestId('receipt-sha').textContent()).trim()
    await page.keyboard.press('Escape')
    await dlg.waitFor({ state: 'hidden' })
    const held = (await simBatches()).filter((b) => b.batchUid === uid)
    assert.equal(held.length, 1, `simulator holds ${JSON.stringify(held)}`)
    assert.equal(held[0].status, 'accepted')
    assert.equal(held[0].contentSha256, sha)
    assert.match(uid, /msj_project/)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-sync-accepted.png') })
  }),
)
