// Drives Portico's dashboard in Debian's chromium, as an operator would: log in, see the vserver UP, see a member
// go DOWN with its reason when its backend dies, apply a bad batch (errors at their line, nothing applied), then a
// good one, then change a member's weight. DashboardBrowserTests starts Portico and the backends and runs this with:
//   PORTICO_URL, PORTICO_USER, PORTICO_PASSWORD, PORTICO_VIEWER, PORTICO_VIEWER_PASSWORD, PORTICO_PORT2, SCREENSHOT_DIR
// "STEP kill-backend" on stdout asks the test to stop the second backend; it answers with a line on stdin.
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const env = (name) => { const v = process.env[name]; if (!v) throw new Error(`${name} is not set`); return v; };
const base = env('PORTICO_URL');
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));
const timeout = 15000;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const violations = [];
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  // A page that broke its own Content-Security-Policy (an inline script or style) would say so on the console.
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  page.on('pageerror', (e) => violations.push(String(e)));

  // Not logged in: the dashboard sends the browser to the login page.
  await page.goto(base + '/gui/');
  assert.match(page.url(), /\/gui\/login\.html$/);
  await page.fill('#username', env('PORTICO_USER'));
  await page.fill('#password', 'wrong password');
  await page.click('#submit');
  await page.locator('#message').filter({ hasText: 'Invalid username or password' }).waitFor();
  await page.fill('#password', env('PORTICO_PASSWORD'));
  await page.click('#submit');
  await page.waitForURL(base + '/gui/');

  // The vserver and both members UP; the comment with markup in it is shown as text, never run.
  const web = page.locator('tr[data-vserver="web"]');
  await web.locator('td.state').filter({ hasText: /^UP$/ }).waitFor();
  await web.locator('li[data-member="s2"] .state').filter({ hasText: /^UP$/ }).waitFor();
  assert.equal(await web.getAttribute('title'), '<img src=x onerror=alert(1)>');
  await page.locator('#who').filter({ hasText: 'admin (superuser)' }).waitFor();
  await page.locator('#running-config').filter({ hasText: 'add lb vserver web HTTP' }).waitFor();
  await page.screenshot({ path: `${env('SCREENSHOT_DIR')}/dashboard-up.png`, fullPage: true });

  // The second backend dies: its member goes DOWN with the monitor's reason, and the event is listed.
  console.log('STEP kill-backend');
  await nextLine();
  const s2 = web.locator('li[data-member="s2"]');
  await s2.locator('.state').filter({ hasText: /^DOWN$/ }).waitFor();
  const reason = await s2.locator('.reason').textContent();
  assert.match(reason, /hm: L4CON connection refused/);
  await page.locator('#events li[data-kind="SERVICE_DOWN"]').filter({ hasText: 's2' }).first().waitFor();
  await page.screenshot({ path: `${env('SCREENSHOT_DIR')}/dashboard-member-down.png`, fullPage: true });

  // A bad batch: the error is shown at its line (2), and the good line 1 did not apply either.
  await page.fill('#batch', 'add server bad1 127.0.0.9\nadd lb vserver web2 HTTP 127.0.0.1 notaport\nadd server bad2 127.0.0.10');
  await page.click('#apply');
  await page.locator('#result-summary.refused').filter({ hasText: 'Nothing applied' }).waitFor();
  const line2 = page.locator('#result-lines li[data-line="2"]');
  assert.equal(await line2.getAttribute('class'), 'error');
  assert.match(await line2.locator('.message').textContent(), /^line 2, column \d+: 'notaport'/);
  assert.equal(await page.locator('#result-lines li.error').count(), 1);
  assert.doesNotMatch(await page.locator('#running-config').textContent(), /bad1/);
  await page.screenshot({ path: `${env('SCREENSHOT_DIR')}/dashboard-batch-error.png`, fullPage: true });

  // The good batch applies: the new vserver is listed UP and the running config has it.
  await page.fill('#batch', `add lb vserver web2 HTTP 127.0.0.1 ${env('PORTICO_PORT2')}\nbind lb vserver web2 s1 -weight 3`);
  await page.click('#apply');
  await page.locator('#result-summary.applied').filter({ hasText: 'Applied: 2 command(s).' }).waitFor();
  const web2 = page.locator('tr[data-vserver="web2"]');
  await web2.locator('td.state').filter({ hasText: /^UP$/ }).waitFor();
  await web2.locator('li[data-member="s1"] .weight').filter({ hasText: 'w3' }).waitFor();
  await page.locator('#running-config').filter({ hasText: 'add lb vserver web2 HTTP' }).waitFor();

  // A weight changed through the editor is the weight the page shows next.
  await page.fill('#batch', 'unbind lb vserver web2 s1\nbind lb vserver web2 s1 -weight 5');
  await page.click('#apply');
  await page.locator('#result-summary.applied').filter({ hasText: 'Applied: 2 command(s).' }).waitFor();
  await web2.locator('li[data-member="s1"] .weight').filter({ hasText: 'w5' }).waitFor();
  await page.screenshot({ path: `${env('SCREENSHOT_DIR')}/dashboard-applied.png`, fullPage: true });

  // A read-only user sees the farm and no editor.
  const viewer = await browser.newContext();
  const vpage = await viewer.newPage();
  vpage.setDefaultTimeout(timeout);
  await vpage.goto(base + '/gui/login.html');
  await vpage.fill('#username', env('PORTICO_VIEWER'));
  await vpage.fill('#password', env('PORTICO_VIEWER_PASSWORD'));
  await vpage.click('#submit');
  await vpage.waitForURL(base + '/gui/');
  await vpage.locator('tr[data-vserver="web2"]').waitFor();
  await vpage.locator('#who').filter({ hasText: 'viewer (read-only)' }).waitFor();
  assert.equal(await vpage.locator('#apply').isVisible(), false);
  assert.equal(await vpage.locator('#running-config').isVisible(), false);

  assert.deepEqual(violations, []);
  console.log('DASHBOARD OK');
} finally {
  lines.close();
  await browser.close();
}
