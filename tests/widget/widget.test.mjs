// Browser tests of the web chat widget (widget/hokkaido-chat.js) against the REAL Rasa stack.
//
//   RASA_URL=http://127.0.0.1:5005 npm test        (or: tests/widget/run.sh http://127.0.0.1:5005)
//
// Serves /widget over HTTP from this process, drives Debian's /usr/bin/chromium through playwright-core
// at a desktop (1280x800) and a phone (360x740) viewport. Rasa must run with --cors allowing the test
// page's origin (http://127.0.0.1:<random port>), e.g. --cors "*".
// Screenshots go to test-output/widget/; with SAVE_DOC_SCREENSHOTS=1 also docs/screenshots/widget-*.png.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const WIDGET_DIR = path.join(REPO, 'widget');
const OUT_DIR = path.join(REPO, 'test-output', 'widget');
const DOC_DIR = path.join(REPO, 'docs', 'screenshots');
const RASA_URL = (process.env.RASA_URL || '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SAVE_DOCS = process.env.SAVE_DOC_SCREENSHOTS === '1';
const REPLY_TIMEOUT = 90_000;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!/^https?:\/\/\S+$/.test(RASA_URL)) {
  throw new Error('Set RASA_URL to the running Rasa server, e.g. RASA_URL=http://127.0.0.1:5005 npm test');
}
fs.mkdirSync(OUT_DIR, { recursive: true });

// One question per language; greeting replies come back in the same language.
const GREETINGS = [
  ['ja', 'こんにちは'], ['en', 'hello'], ['zh', '你好'], ['ko', '안녕하세요'], ['th', 'สวัสดีครับ'], ['ru', 'привет'],
];
// Questions that the knowledge base answers with a citation (first one that yields a citation is used).
const CITED_QUESTIONS = (process.env.WIDGET_CITED_QUESTIONS || '').split('|').filter(Boolean).concat([
  '北海道の姉妹都市はどこですか', '北海道外国人相談センターについて教えてください', '多文化共生について道はどんな取り組みをしていますか',
  '北海道グローバル戦略って何ですか',
]);
// A substantive Thai question, for the Thai screenshot ("Which are Hokkaido's sister regions?").
const THAI_QUESTION = 'ฮอกไกโดมีเมืองพี่เมืองน้องที่ไหนบ้าง';
const XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
const WEBHOOK = '/webhooks/rest/webhook';

// ---------- static server for /widget ----------
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml' };
function serveWidget() {
  const server = http.createServer((req, res) => {
    let p;
    try { p = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { p = '/'; }
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(WIDGET_DIR, path.normalize(p));
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); res.end('method not allowed'); return; }
    if (!file.startsWith(WIDGET_DIR + path.sep)) { res.writeHead(403); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : data);
    });
  });
  // The Rasa server allows this origin (CORS): the test runner passes the port it configured.
  return new Promise((resolve) => server.listen(Number(process.env.WIDGET_PORT || 0), '127.0.0.1', () => resolve(server)));
}
function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// ---------- script checks ----------
const SCRIPT_RE = {
  kana: /[\p{Script=Hiragana}\p{Script=Katakana}]/gu, han: /\p{Script=Han}/gu, hangul: /\p{Script=Hangul}/gu,
  thai: /\p{Script=Thai}/gu, cyrillic: /\p{Script=Cyrillic}/gu, latin: /\p{Script=Latin}/gu,
};
function scriptCounts(text) {
  const c = {};
  for (const [k, re] of Object.entries(SCRIPT_RE)) c[k] = (text.match(re) || []).length;
  return c;
}
function assertScript(text, lang) {
  const c = scriptCounts(text);
  const groups = { ja: c.kana + c.han, zh: c.han, ko: c.hangul, th: c.thai, ru: c.cyrillic, en: c.latin };
  const want = { ja: 'ja', zh: 'zh', ko: 'ko', th: 'th', ru: 'ru', en: 'en' }[lang];
  const msg = `expected a ${lang} answer, got ${JSON.stringify(text)} (${JSON.stringify(c)})`;
  assert.ok(text.trim().length > 0, `empty answer for ${lang}`);
  if (lang === 'ja') assert.ok(c.kana > 0, msg);
  if (lang === 'zh') assert.equal(c.kana, 0, msg);
  for (const [g, n] of Object.entries(groups)) {
    if (g === want || (lang === 'ja' && g === 'zh') || (lang === 'zh' && g === 'ja')) continue;
    assert.ok(groups[want] > n, msg);
  }
}

// ---------- page helpers ----------
async function widgetPage(ctx, base, server = RASA_URL) {
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(`${base}/index.html?server=${encodeURIComponent(server)}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.waitForSelector('.hkc-launcher');
  return page;
}
async function openWidget(page) {
  await page.click('.hkc-launcher');
  await page.waitForSelector('.hkc-panel:not([hidden])');
}
const botCount = (page) => page.locator('.hkc-log .hkc-bot').count();
// Types `text`, presses Enter, waits for the reply; returns the new bot messages' text.
async function ask(page, text) {
  const before = await botCount(page);
  await page.fill('.hkc-input', text);
  await page.press('.hkc-input', 'Enter');
  await page.waitForFunction((n) => !document.querySelector('.hkc-typing')
    && (document.querySelectorAll('.hkc-log .hkc-bot').length > n || document.querySelector('.hkc-error')),
  before, { timeout: REPLY_TIMEOUT });
  assert.equal(await page.locator('.hkc-error').count(), 0, `the widget showed an error for ${JSON.stringify(text)} (is Rasa up, with --cors?)`);
  const texts = await page.$$eval('.hkc-log .hkc-bot', (els) => els.map((e) => (e.querySelector('.hkc-text') || {}).textContent || ''));
  return texts.slice(before).join('\n');
}
const logTexts = (page) => page.$$eval('.hkc-log .hkc-msg', (els) => els.map((e) => ({
  who: e.classList.contains('hkc-user') ? 'user' : 'bot', text: (e.querySelector('.hkc-text') || {}).textContent || '',
})));
async function shot(page, name, docName, questionOnTop = false) {
  if (questionOnTop) { // show the last question and as much of its answer as fits
    await page.evaluate(() => {
      const log = document.querySelector('.hkc-log'), q = [...log.querySelectorAll('.hkc-user')].pop();
      log.scrollTop = q.offsetTop - log.offsetTop - 8;
    });
  }
  await page.screenshot({ path: path.join(OUT_DIR, `${name}.png`) });
  if (docName && SAVE_DOCS) {
    fs.mkdirSync(DOC_DIR, { recursive: true });
    await page.screenshot({ path: path.join(DOC_DIR, docName) });
  }
}
function webhookBodies(page) {
  const bodies = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(WEBHOOK)) bodies.push(r.postDataJSON()); });
  return bodies;
}

// In-page WCAG contrast check of every rendered text node of the widget (and the input placeholder).
function contrastProblems() {
  const parse = (c) => { const p = c.match(/[\d.]+/g).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const lum = ({ r, g, b }) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const ratio = (fg, bg) => { const a = lum(fg), b = lum(bg); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
  const bad = [];
  for (const el of document.querySelectorAll('.hkc-root *')) {
    const r = el.getBoundingClientRect();
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!hasText || r.width < 2 || r.height < 2 || el.closest('.hkc-sr,[hidden]')) continue;
    const v = ratio(parse(getComputedStyle(el).color), bgOf(el));
    if (v < 4.5) bad.push(`${el.tagName}.${el.className}: ${v.toFixed(2)}`);
  }
  const input = document.querySelector('.hkc-input');
  const pv = ratio(parse(getComputedStyle(input, '::placeholder').color), bgOf(input));
  if (pv < 4.5) bad.push(`placeholder: ${pv.toFixed(2)}`);
  return bad;
}

let server, base;
before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  try {
    await fetch(`${RASA_URL}/`, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new Error(`Rasa is not reachable at ${RASA_URL}: ${e.cause?.code || e.message}`);
  }
  server = await serveWidget();
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server && server.close());

const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, mobile: false },
  { name: 'phone', viewport: { width: 360, height: 740 }, mobile: true },
];

for (const vp of VIEWPORTS) {
  describe(`widget at ${vp.name} ${vp.viewport.width}x${vp.viewport.height}`, { timeout: 600_000 }, () => {
    let ctx, userDir, page;
    before(async () => {
      userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hkc-chromium-'));
      ctx = await chromium.launchPersistentContext(userDir, {
        executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, locale: 'en-US',
        viewport: vp.viewport, isMobile: vp.mobile, hasTouch: vp.mobile, deviceScaleFactor: vp.mobile ? 2 : 1,
      });
    });
    after(async () => {
      if (ctx) await ctx.close();
      if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
    });
    afterEach(async () => {
      if (page) {
        const errors = page.errors;
        await page.close();
        page = null;
        assert.deepEqual(errors, [], 'uncaught errors in the page');
      }
    });

    test('accessible structure, no globals but HokkaidoChat, contrast >= 4.5:1', async () => {
      page = await widgetPage(ctx, base);
      const launcher = page.locator('.hkc-launcher');
      assert.ok(await launcher.getAttribute('aria-label'));
      assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('.hkc-panel').isVisible(), false);
      const extra = await page.evaluate(() => {
        const f = document.createElement('iframe');
        document.body.appendChild(f);
        const known = new Set(Object.getOwnPropertyNames(f.contentWindow));
        f.remove();
        return Object.getOwnPropertyNames(window).filter((n) => !known.has(n));
      });
      assert.deepEqual(extra, ['HokkaidoChat']);
      assert.deepEqual(await page.evaluate(() => Object.keys(window.HokkaidoChat).sort()), ['close', 'open', 'reset']);
      await page.evaluate(() => window.HokkaidoChat.open());
      assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
      const panel = page.locator('[role="dialog"]');
      assert.ok(await panel.isVisible());
      assert.ok(await panel.getAttribute('aria-label'));
      const logEl = page.locator('.hkc-log');
      assert.equal(await logEl.getAttribute('role'), 'log');
      assert.equal(await logEl.getAttribute('aria-live'), 'polite');
      // every form control has a label
      const unlabelled = await page.$$eval('.hkc-root input, .hkc-root select', (els) => els.filter((e) => !e.labels || !e.labels.length
        || !e.labels[0].textContent.trim()).map((e) => e.outerHTML));
      assert.deepEqual(unlabelled, []);
      const langs = await page.$$eval('#hkc-lang option', (os) => os.map((o) => o.value));
      assert.deepEqual(langs, ['', 'ja', 'en', 'zh', 'ko', 'th', 'ru', 'ja-easy']);
      await ask(page, 'hello');
      assert.deepEqual(await page.evaluate(contrastProblems), []);
      await page.evaluate(() => window.HokkaidoChat.close());
      assert.equal(await page.locator('.hkc-panel').isVisible(), false);
    });

    test('greets back in ja, en, zh, ko, th, ru (auto-detect, no metadata)', async () => {
      page = await widgetPage(ctx, base);
      const bodies = webhookBodies(page);
      await openWidget(page);
      for (const [lang, text] of GREETINGS) {
        const answer = await ask(page, text);
        assertScript(answer, lang);
      }
      assert.equal(bodies.length, GREETINGS.length);
      for (const b of bodies) {
        assert.equal(typeof b.sender, 'string');
        assert.equal(b.sender, bodies[0].sender);
        assert.equal(b.metadata, undefined, 'metadata.language is only sent after picking a language');
      }
      await shot(page, `${vp.name}-greetings`);
    });

    test('labels follow the language the assistant answers in', async () => {
      page = await widgetPage(ctx, base);
      await openWidget(page);
      await ask(page, 'ソウル事務所は何語で情報発信していますか？');
      assert.equal(await page.getAttribute('#hkc-input', 'placeholder'), '質問を入力してください…');
      assert.equal(await page.evaluate(() => document.querySelector('.hkc-root').lang), 'ja');
      await ask(page, '首尔事务所用什么语言发布信息？');
      assert.equal(await page.getAttribute('#hkc-input', 'placeholder'), '请输入您的问题…');
      await shot(page, `${vp.name}-labels-follow-language`);
    });

    test('bot and user text is shown literally, never as HTML', async () => {
      page = await widgetPage(ctx, base);
      await openWidget(page);
      await ask(page, XSS);
      const users = await page.$$eval('.hkc-user .hkc-text', (els) => els.map((e) => e.textContent));
      assert.deepEqual(users, [XSS]);
      assert.equal(await page.evaluate(() => document.querySelectorAll('.hkc-log script, .hkc-log img').length), 0);
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined');
      await shot(page, `${vp.name}-xss`);
      // the stored history is data, and stays literal after a reload
      await page.reload();
      await openWidget(page);
      assert.equal(await page.locator('.hkc-user .hkc-text').first().textContent(), XSS);
      assert.equal(await page.evaluate(() => typeof window.__xss), 'undefined');
    });

    test('conversation survives a reload; "new conversation" clears it', async () => {
      page = await widgetPage(ctx, base);
      await openWidget(page);
      await ask(page, 'hello');
      await ask(page, 'こんにちは');
      const history = await logTexts(page);
      assert.ok(history.length >= 4 && history.every((m) => m.text || m.who === 'bot'));
      const sender = await page.evaluate(() => Object.values(localStorage).map((v) => JSON.parse(v).sender)[0]);
      await page.reload();
      await page.waitForSelector('.hkc-launcher');
      await openWidget(page);
      assert.deepEqual(await logTexts(page), history);
      // the same Rasa conversation continues
      const bodies = webhookBodies(page);
      await ask(page, 'hello');
      assert.equal(bodies[0].sender, sender);
      await shot(page, `${vp.name}-after-reload`);
      await page.click('.hkc-new');
      assert.equal(await page.locator('.hkc-log .hkc-msg').count(), 0);
      await page.reload();
      await openWidget(page);
      assert.equal(await page.locator('.hkc-log .hkc-msg').count(), 0);
      await ask(page, 'hello');
      assert.notEqual(bodies.at(-1).sender, sender, 'a new conversation gets a new sender id');
    });

    test('keyboard: Tab to launcher, Enter opens with focus in the input, Escape closes', async () => {
      page = await widgetPage(ctx, base);
      let onLauncher = false;
      for (let i = 0; i < 20 && !onLauncher; i++) {
        await page.keyboard.press('Tab');
        onLauncher = await page.evaluate(() => document.activeElement.classList.contains('hkc-launcher'));
      }
      assert.ok(onLauncher, 'Tab never reached the launcher');
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none', 'visible focus');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.hkc-panel:not([hidden])');
      assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hkc-input')));
      assert.equal(await page.locator('.hkc-launcher').getAttribute('aria-expanded'), 'true');
      const before = await botCount(page);
      await page.keyboard.type('hello');
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => document.querySelectorAll('.hkc-bot').length > n && !document.querySelector('.hkc-typing'), before, { timeout: REPLY_TIMEOUT });
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hkc-send')));
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none', 'visible focus');
      await shot(page, `${vp.name}-keyboard-focus`);
      if (vp.mobile) { // full screen: Tab stays inside the panel, wrapping around
        await page.keyboard.press('Tab');
        assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hkc-x')));
        await page.keyboard.press('Shift+Tab');
        assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hkc-send')));
      }
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.hkc-panel').isVisible(), false);
      assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hkc-launcher')));
      assert.equal(await page.locator('.hkc-launcher').getAttribute('aria-expanded'), 'false');
      // Space re-opens and the close button is reachable by keyboard too
      await page.keyboard.press(' ');
      await page.waitForSelector('.hkc-panel:not([hidden])');
      await page.focus('.hkc-x');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('.hkc-panel').isVisible(), false);
      assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hkc-launcher')));
    });

    test('language menu: ไทย sends metadata.language=th, localises the UI, Thai answer', async () => {
      page = await widgetPage(ctx, base);
      const bodies = webhookBodies(page);
      await openWidget(page);
      await page.selectOption('#hkc-lang', 'th');
      assert.match(await page.getAttribute('.hkc-input', 'placeholder'), /\p{Script=Thai}/u);
      assert.match(await page.locator('.hkc-send').textContent(), /\p{Script=Thai}/u);
      const answer = await ask(page, 'hello');
      assert.equal(bodies.at(-1).message, 'hello');
      assert.deepEqual(bodies.at(-1).metadata, { language: 'th' });
      assertScript(answer, 'th');
      assertScript(await ask(page, THAI_QUESTION), 'th');
      await shot(page, `${vp.name}-menu-th`, vp.mobile ? 'widget-phone-th.png' : null, true);
      // the choice survives a reload; "auto" hands the language back to detection once, then
      // stops sending metadata
      await page.reload();
      await openWidget(page);
      assert.equal(await page.inputValue('#hkc-lang'), 'th');
      await page.selectOption('#hkc-lang', '');
      // with detection back, the labels follow the language of the answers
      assertScript(await ask(page, 'hello'), 'en');
      assert.doesNotMatch(await page.getAttribute('.hkc-input', 'placeholder'), /\p{Script=Thai}/u);
      assert.deepEqual(bodies.at(-1).metadata, { language: 'auto' });
      await ask(page, 'thanks');
      assert.equal(bodies.at(-1).metadata, undefined);
    });

    test('quick replies: a click sends the payload, shows the title, removes the buttons', async () => {
      page = await widgetPage(ctx, base);
      const bodies = webhookBodies(page);
      await openWidget(page);
      await ask(page, 'change the language');
      const chips = page.locator('.hkc-qr button');
      assert.ok(await chips.count() >= 2, 'the language menu comes with buttons');
      const thai = chips.filter({ hasText: /\p{Script=Thai}/u }).first();
      const title = (await thai.textContent()).trim();
      await thai.focus();
      const before = await botCount(page);
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => document.querySelectorAll('.hkc-bot').length > n && !document.querySelector('.hkc-typing'), before, { timeout: REPLY_TIMEOUT });
      assert.match(bodies.at(-1).message, /^\/change_language/);
      assert.equal(await page.locator('.hkc-user .hkc-text').last().textContent(), title);
      assert.equal(await page.locator('.hkc-qr').count(), 0);
      assert.ok(await page.evaluate(() => document.activeElement.classList.contains('hkc-input')));
      assertScript((await page.locator('.hkc-bot .hkc-text').last().textContent()), 'th');
      await shot(page, `${vp.name}-quick-replies`);
    });

    test('cited answer: citation line, "show original Japanese" toggle, feedback', async () => {
      page = await widgetPage(ctx, base);
      const bodies = webhookBodies(page);
      await openWidget(page);
      await page.selectOption('#hkc-lang', 'ja');
      let answer = null;
      for (const q of CITED_QUESTIONS) {
        const cites = await page.locator('.hkc-log .hkc-cite').count();
        const a = await ask(page, q);
        if (await page.locator('.hkc-log .hkc-cite').count() > cites) { answer = a; break; }
      }
      assert.ok(answer !== null, `none of ${JSON.stringify(CITED_QUESTIONS)} got a cited answer`);
      assertScript(answer, 'ja');
      const cited = page.locator('.hkc-msg:has(.hkc-cite)').last();
      const citeLine = (await cited.locator('.hkc-cl').first().textContent()).trim();
      const passageId = citeLine.split(' · ').pop().split(' (')[0];
      assert.ok(passageId.length > 1, citeLine);
      assert.ok(!(await cited.locator('.hkc-text').textContent()).includes(passageId), 'the plain-text source line is replaced by the citation line');
      const toggle = cited.locator('button[aria-expanded]').first();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await cited.locator('.hkc-orig').first().isVisible(), false);
      await shot(page, `${vp.name}-cited-ja`, vp.mobile ? null : 'widget-desktop-ja.png', true);
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      const orig = cited.locator('.hkc-orig').first();
      assert.ok(await orig.isVisible());
      assert.match(await orig.locator('p[lang="ja"]').textContent(), /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u);
      await shot(page, `${vp.name}-cited-ja-original`);
      // "was this helpful?" -> yes
      const fb = cited.locator('.hkc-fb');
      assert.ok(await fb.isVisible());
      const n = bodies.length;
      const users = await page.locator('.hkc-user').count();
      await fb.locator('button').first().click();
      await page.waitForFunction(() => !document.querySelector('.hkc-typing'), null, { timeout: REPLY_TIMEOUT });
      assert.equal(bodies.length, n + 1);
      assert.equal(bodies.at(-1).message, '/feedback{"helpful":"yes"}');
      assert.deepEqual(bodies.at(-1).metadata, { language: 'ja' });
      assert.equal(await page.locator('.hkc-user').count(), users, 'the feedback payload is not shown as a user message');
      assert.equal(await page.locator('.hkc-error').count(), 0);
      assert.equal(await cited.locator('.hkc-fb button').count(), 0);
      assert.ok((await page.locator('.hkc-msg:has(.hkc-cite)').last().locator('.hkc-fb').textContent()).trim());
      await shot(page, `${vp.name}-feedback`);
    });

    test('network and HTTP errors: localised apology, the typed text is kept', async () => {
      const dead = `http://127.0.0.1:${await freePort()}`;
      for (const [srv, label] of [[dead, 'network'], [base, 'http']]) { // POSTing to the static server: HTTP 405
        page = await widgetPage(ctx, base, srv);
        await openWidget(page);
        await page.selectOption('#hkc-lang', 'ru');
        await page.fill('.hkc-input', 'где мусор?');
        await page.press('.hkc-input', 'Enter');
        await page.waitForSelector('.hkc-error', { timeout: 30_000 });
        assert.match(await page.locator('.hkc-error').textContent(), /\p{Script=Cyrillic}/u);
        assert.equal(await page.inputValue('.hkc-input'), 'где мусор?');
        assert.equal(await page.locator('.hkc-user').count(), 0);
        assert.equal(await page.locator('.hkc-typing').count(), 0);
        await shot(page, `${vp.name}-error-${label}`);
        const errors = page.errors;
        await page.close();
        page = null;
        assert.deepEqual(errors, []);
      }
    });

    test('layout: no horizontal scroll, full-screen panel on phones', async () => {
      page = await widgetPage(ctx, base);
      await openWidget(page);
      await ask(page, 'hello');
      await ask(page, 'x'.repeat(300));
      const m = await page.evaluate(() => {
        const p = document.querySelector('.hkc-panel').getBoundingClientRect();
        const log = document.querySelector('.hkc-log');
        return { p: [p.left, p.top, p.width, p.height], docW: document.documentElement.scrollWidth, vw: window.innerWidth,
          logOverflow: log.scrollWidth - log.clientWidth };
      });
      assert.ok(m.docW <= m.vw, `page scrolls horizontally: ${m.docW} > ${m.vw}`);
      assert.ok(m.logOverflow <= 0, 'message list scrolls horizontally');
      if (vp.mobile) assert.deepEqual(m.p, [0, 0, vp.viewport.width, vp.viewport.height]);
      else assert.ok(m.p[2] <= 420 && m.p[0] + m.p[2] <= vp.viewport.width && m.p[1] >= 0, JSON.stringify(m.p));
      await shot(page, `${vp.name}-layout`);
    });
  });
}
