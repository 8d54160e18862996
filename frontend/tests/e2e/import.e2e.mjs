// E2E: Excel in and out. A clerk enters the project the roster points to,
// downloads the roster's import template, imports a file with errors
// (dry run only: nothing can be imported whole, the error report is
// saved), imports a clean file with a title row and a 合计 row, sees its 8
// rows in the grid, exports the 发放清册, and has a legacy .xls refused
// with what to do. Files written by other software (SheetJS, ExcelJS).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startXvfb, startApp, freePort, launchChromium, tempDataDir, devBin, outDir, repoRoot, openPage, loginClerk, openBatch, enterProject } from './harness.mjs'

const fixtures = join(repoRoot, 'backend/importer/testdata')

let xvfb, browser
before(async () => {
  xvfb = await startXvfb()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await xvfb?.stop()
})

// The saved-file notice names the file; it must be in <data dir>/导出/ and be a zip (xlsx).
async function savedFile(notice, exportsDir) {
  await notice.waitFor()
  const text = await notice.getByTestId('saved-file-name').textContent()
  const m = /^已保存：(.+\.xlsx)（[\d.]+ (?:B|KB|MB)）$/.exec(text.trim())
  assert.ok(m, `notice text: ${text}`)
  const path = join(exportsDir, m[1])
  assert.ok(existsSync(path), `${path} exists (exports: ${readdirSync(exportsDir).join(', ')})`)
  assert.equal(readFileSync(path).subarray(0, 2).toString('latin1'), 'PK')
  assert.match(await notice.getByTestId('saved-file-dir').textContent(), /导出/)
  return m[1]
}

async function chooseFile(page, file) {
  await page.getByTestId('import-open').click()
  const dialog = page.locator('.import-dialog')
  await dialog.getByTestId('import-pick').waitFor()
  // Keyboard first: focus lands on the first control.
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'import-pick')
  await dialog.getByTestId('import-file').setInputFiles(join(fixtures, file))
  return dialog
}

test('a clerk downloads the template, imports rosters from Excel after a dry run, and exports the 发放清册', async () => {
  const dataDir = tempDataDir('e2e-import')
  const exportsDir = join(dataDir, '导出')
  const app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
  let page
  try {
    page = await openPage(browser, app)
    await loginClerk(page)

    // The project every roster row points to.
    await enterProject(page)

    await openBatch(page, 'msj_roster')

    // The import template.
    await page.getByTestId('template-download').click()
    const batchNotice = page.getByTestId('batch').getByTestId('saved-file')
    assert.match(await savedFile(batchNotice, exportsDir), /^个人补助资金发放表-导入模板-\d{8}-\d{6}\.xlsx$/)

    // A file with errors: the dry run shows them, nothing can be imported whole.
    let dialog = await chooseFile(page, 'sheetjs_errors.xlsx')
    await dialog.getByTestId('import-preview').waitFor({ timeout: 30000 })
    const counts = await dialog.getByTestId('import-counts').textContent()
    assert.match(counts, /共 6 行/)
    assert.match(counts, /无误 1 行/)
    assert.match(counts, /有错误 5 行（共 \d+ 处）/)
    const commit = dialog.getByTestId('import-commit')
    assert.match(await commit.textContent(), /导入全部 6 行/)
    assert.equal(await commit.isDisabled(), true)
    assert.match(await dialog.getByTestId('import-valid-only').textContent(), /仅导入无误的 1 行（跳过 5 行有错误的行）/)
    assert.ok((await dialog.getByTestId('import-issues').locator('tbody tr').count()) >= 5)
    await page.waitForTimeout(400) // let the dialog's transition settle for the screenshot
    await page.screenshot({ path: join(outDir, 'e2e-import-preview.png') })

    await dialog.getByTestId('import-report').click()
    assert.match(await savedFile(dialog.getByTestId('saved-file'), exportsDir), /^sheetjs_errors-错误报告-\d{8}-\d{6}\.xlsx$/)
    await dialog.getByTestId('import-close').click()
    await dialog.waitFor({ state: 'hidden' })
    assert.match(await page.getByTestId('batch-rows').textContent(), /^0 行$/)

    // A clean file with a title row, merged cells and a 合计 row.
    dialog = await chooseFile(page, 'exceljs_title_merged.xlsx')
    await dialog.getByTestId('import-preview').waitFor({ timeout: 30000 })
    assert.match(await dialog.getByTestId('import-counts').textContent(), /共 8 行.*无误 8 行.*有错误 0 行/s)
    assert.match(await dialog.getByTestId('import-source').textContent(), /工作表「花名册」，表头在第 3 行.*第 12 行/s)
    assert.match(await dialog.getByTestId('import-ignored').textContent(), /序号（A）/)
    await page.waitForTimeout(400)
    await page.screenshot({ path: join(outDir, 'e2e-import-preview-clean.png') })
    await dialog.getByTestId('import-commit').filter({ hasText: '导入全部 8 行' }).click()
    await page.getByText('已导入 8 行').waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()
    await page.getByTestId('batch-rows').filter({ hasText: /^8 行$/ }).waitFor()
    await page.getByText('共 8 行', { exact: true }).waitFor()
    await page.locator('[data-cell="7:name"]').waitFor()
    // The footer totals the amounts: 4,786.80 元.
    assert.match(await page.locator('[data-total="amount"]').first().textContent(), /4,786\.80/)
    await page.screenshot({ path: join(outDir, 'e2e-import-grid.png') })

    // The 发放清册, masked.
    await page.getByTestId('export-open').click()
    await page.getByTestId('export-payroll').click()
    await page.getByTestId('saved-file-name').filter({ hasText: '发放清册' }).waitFor()
    assert.match(await savedFile(batchNotice, exportsDir), /^个人补助资金发放表-.+-发放清册-\d{8}-\d{6}\.xlsx$/)

    // A legacy .xls is refused with what to do; another file can be chosen.
    dialog = await chooseFile(page, 'sheetjs_legacy.xls')
    const refusal = dialog.getByTestId('import-refusal')
    await refusal.waitFor({ timeout: 30000 })
    assert.match(await refusal.textContent(), /另存为.*\.xlsx/)
    assert.match(await dialog.getByTestId('import-pick').textContent(), /选择其他文件/)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    // Nothing was left in the staging folder.
    await page.waitForTimeout(200)
    assert.deepEqual(readdirSync(join(dataDir, 'imports')), [])
  } catch (e) {
    await page?.screenshot({ path: join(outDir, `e2e-import-failure-${Date.now()}.png`) }).catch(() => {})
    e.message += `\n--- app log ---\n${app.log()}`
    throw e
  } finally {
    await page?.close().catch(() => {})
    await app.stop()
  }
})
