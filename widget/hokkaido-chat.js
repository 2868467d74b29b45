/*! Hokkaido Assistant chat widget: plain JS, no dependencies. Embed with
 * <script src="hokkaido-chat.js" data-server="http://localhost:5005" data-title="Hokkaido Assistant" defer></script>
 * Talks to the assistant's REST channel with a session token the server issues (POST /webhooks/rest/session).
 * Bot and user text is only ever set with textContent, never parsed as HTML. */
(function () {
  'use strict';
  if (window.HokkaidoChat) return;
  var d = document, me = d.currentScript || d.querySelector('script[src*="hokkaido-chat"]');
  var ds = (me && me.dataset) || {};
  var SERVER = (ds.server || 'http://localhost:5005').replace(/\/+$/, '');
  var TITLE = ds.title || 'Hokkaido Assistant';
  var KEY = 'hkc:' + SERVER;

  // UI strings: one '|'-separated row per language, in the order of K. {d} = date.
  var K = 'close msg ph send helpful yes no thanks show hide err lang auto new typing src asof you bot staff'.split(' ');
  var S = {
    en: 'Close chat|Your message|Type your question…|Send|Was this helpful?|Yes|No|Thank you for your feedback!|Show original Japanese|Hide original Japanese|Sorry, the assistant could not be reached. Your text is still in the box: please try again.|Language|Auto-detect|New conversation|The assistant is typing…|Source|as of {d}|You|Assistant|Staff',
    ja: 'チャットを閉じる|メッセージ|質問を入力してください…|送信|この回答は役に立ちましたか？|はい|いいえ|ご回答ありがとうございます！|日本語の原文を表示|日本語の原文を隠す|申し訳ありません。接続できませんでした。入力した文は残っています。もう一度送信してください。|言語|自動判定|新しい会話|入力中…|出典|{d}時点|あなた|アシスタント|スタッフ',
    'ja-easy': 'チャットを とじる|メッセージ|しつもんを かいてください|おくる|やくに たちましたか？|はい|いいえ|ありがとうございます！|にほんごの もとの ぶんを みる|にほんごの もとの ぶんを かくす|ごめんなさい。つながりませんでした。もう いちど おくってください。|ことば|じどう|あたらしい かいわ|かいています…|でどころ|{d}の じょうほう|あなた|アシスタント|スタッフ',
    zh: '关闭聊天|消息|请输入您的问题…|发送|这个回答有帮助吗？|是|否|感谢您的反馈！|显示日语原文|隐藏日语原文|抱歉，无法连接。您的内容已保留，请重试。|语言|自动检测|新对话|正在输入…|出处|截至{d}|您|助手|工作人员',
    'zh-Hant': '關閉聊天|訊息|請輸入您的問題…|傳送|這個回答有幫助嗎？|是|否|感謝您的反饋！|顯示日語原文|隱藏日語原文|抱歉，無法連線。您的內容已保留，請重試。|語言|自動檢測|新對話|正在輸入…|出處|截至{d}|您|助手|工作人員',
    ko: '채팅 닫기|메시지|질문을 입력하세요…|보내기|도움이 되었나요?|예|아니요|의견 감사합니다!|일본어 원문 보기|일본어 원문 숨기기|죄송합니다. 연결할 수 없습니다. 입력한 내용은 남아 있으니 다시 시도해 주세요.|언어|자동 감지|새 대화|입력 중…|출처|{d} 기준|나|도우미|상담원',
    th: 'ปิดแชท|ข้อความ|พิมพ์คำถามของคุณ…|ส่ง|มีประโยชน์หรือไม่?|ใช่|ไม่ใช่|ขอบคุณสำหรับความคิดเห็น!|แสดงต้นฉบับภาษาญี่ปุ่น|ซ่อนต้นฉบับภาษาญี่ปุ่น|ขออภัย เชื่อมต่อไม่ได้ ข้อความของคุณยังอยู่ โปรดลองอีกครั้ง|ภาษา|ตรวจจับอัตโนมัติ|บทสนทนาใหม่|กำลังพิมพ์…|แหล่งที่มา|ข้อมูล ณ {d}|คุณ|ผู้ช่วย|เจ้าหน้าที่',
    ru: 'Закрыть чат|Сообщение|Введите ваш вопрос…|Отправить|Это было полезно?|Да|Нет|Спасибо за отзыв!|Показать японский оригинал|Скрыть японский оригинал|Извините, нет связи с помощником. Ваш текст сохранён, попробуйте ещё раз.|Язык|Автоопределение|Новый разговор|Ассистент печатает…|Источник|на {d}|Вы|Ассистент|Сотрудник'
  };
  var LANGS = { ja: '日本語', en: 'English', zh: '中文', ko: '한국어', th: 'ไทย', ru: 'Русский', 'ja-easy': 'やさしい日本語' };
  var B = '#0b5394'; // brand blue: 7.6:1 against white
  var CSS = ('.hkc-root,.hkc-root *{box-sizing:border-box}' +
    '.hkc-root{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP","Hiragino Sans",sans-serif;color:#1a1a1a}' +
    '.hkc-root button,.hkc-root input,.hkc-root select{font:inherit;margin:0;letter-spacing:normal;text-transform:none}.hkc-root button{cursor:pointer}' +
    '.hkc-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;padding:0;border:0;border-radius:50%;background:B;color:#fff;box-shadow:0 2px 8px #0006;display:flex;align-items:center;justify-content:center}' +
    '.hkc-launcher svg{width:30px;height:30px}' +
    '.hkc-panel{position:fixed;right:20px;bottom:92px;z-index:2147483001;width:390px;max-width:calc(100vw - 40px);height:620px;max-height:calc(100vh - 112px);display:flex;flex-direction:column;background:#fff;border:1px solid #767676;border-radius:12px;box-shadow:0 4px 24px #0004;overflow:hidden}' +
    '.hkc-panel[hidden],.hkc-root [hidden]{display:none!important}' +
    '.hkc-head{display:flex;align-items:center;gap:8px;padding:8px 8px 8px 14px;background:B;color:#fff}' +
    '.hkc-title{flex:1;font-weight:700;font-size:16px;overflow-wrap:anywhere}' +
    '.hkc-x{width:40px;height:40px;padding:0;border:0;border-radius:6px;background:none;color:#fff;font-size:24px;line-height:1}' +
    '.hkc-bar{display:flex;align-items:center;flex-wrap:wrap;gap:6px 8px;padding:6px 12px;border-bottom:1px solid #d0d0d0;background:#f3f5f8;font-size:14px}' +
    '.hkc-bar select{max-width:100%;padding:4px 6px;border:1px solid #767676;border-radius:6px;background:#fff;color:#1a1a1a}' +
    '.hkc-log{flex:1;overflow:hidden auto;padding:12px;display:flex;flex-direction:column;gap:10px}' +
    '.hkc-msg{display:flex;flex-direction:column;max-width:88%;min-width:0}' +
    '.hkc-user{align-self:flex-end;align-items:flex-end}.hkc-bot{align-self:flex-start;align-items:flex-start}' +
    '.hkc-bubble{max-width:100%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}' +
    '.hkc-user .hkc-bubble{background:B;color:#fff;border-bottom-right-radius:4px}' +
    '.hkc-bot .hkc-bubble{background:#eceff3;border-bottom-left-radius:4px}' +
    '.hkc-img{max-width:100%;border-radius:8px}' +
    '.hkc-staff .hkc-bubble{background:#e6f4ea;border:1px solid #1e5631}.hkc-who{font-size:13px;font-weight:700;color:#1e5631}' +
    '.hkc-cite{margin-top:4px;font-size:13px;color:#454545;overflow-wrap:anywhere}.hkc-root p{margin:0}' +
    '.hkc-orig{margin-top:4px;padding:6px 8px;border-left:3px solid #8a6d00;background:#fff8e1;color:#1a1a1a;white-space:pre-wrap}.hkc-asof{margin-top:4px!important;color:#454545}' +
    '.hkc-link{padding:2px 0;border:0;background:none;color:B;text-decoration:underline}' +
    '.hkc-qr,.hkc-fb,.hkc-fbyn{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:6px!important;font-size:14px}.hkc-fbyn{margin:0!important}' +
    '.hkc-chip{min-height:32px;padding:4px 12px;border:1px solid B;border-radius:16px;background:#fff;color:B}.hkc-chip:hover{background:#e3ecf7}' +
    '.hkc-error{padding:8px 12px;border-radius:8px;background:#fdecea;color:#8a1c1c}' +
    '.hkc-status{padding:0 14px;font-size:13px;color:#454545}' +
    '.hkc-typing{display:flex;align-items:center;gap:6px;padding:4px 0}' +
    '.hkc-dot{width:7px;height:7px;border-radius:50%;background:#5a5a5a;animation:hkc-b 1s infinite}' +
    '.hkc-dot:nth-child(2){animation-delay:.15s}.hkc-dot:nth-child(3){animation-delay:.3s}' +
    '@keyframes hkc-b{0%,80%,100%{opacity:.3}40%{opacity:1}}' +
    '.hkc-form{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #d0d0d0}' +
    '.hkc-input{flex:1;min-width:0;padding:8px 10px;border:1px solid #767676;border-radius:8px;background:#fff;color:#1a1a1a}' +
    '.hkc-input::placeholder{color:#646464;opacity:1}' +
    '.hkc-send,.hkc-new{padding:8px 14px;border:0;border-radius:8px;background:B;color:#fff;font-weight:600}' +
    '.hkc-new{margin-left:auto!important;padding:4px 10px;font-weight:400}' +
    '.hkc-sr{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}' +
    '.hkc-root :focus-visible{outline:3px solid B;outline-offset:2px}' +
    '.hkc-head :focus-visible{outline-color:#fff;outline-offset:-3px}.hkc-log:focus-visible{outline-offset:-3px}' +
    '.hkc-launcher:focus-visible{outline-offset:3px;box-shadow:0 0 0 3px #fff}' +
    '@media (max-width:480px){.hkc-panel{inset:0;width:100%;max-width:none;height:100%;max-height:none;border:0;border-radius:0}.hkc-open .hkc-launcher{display:none}}' +
    '@media (prefers-reduced-motion:reduce){.hkc-dot{animation:none}}').replace(/:B\b/g, ':' + B).replace(/ B\b/g, ' ' + B);

  // ---- state, kept in localStorage as plain data; `sender` is the server-issued session token ----
  var st;
  try { st = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { st = {}; }
  if (!Array.isArray(st.msgs)) st = { msgs: [] };
  if (typeof st.sender !== 'string') st.sender = '';
  st.msgs = st.msgs.filter(function (m) { return m && typeof m === 'object'; });
  if (!S[st.lang]) st.lang = '';
  function save() {
    st.msgs = st.msgs.slice(-100);
    try { localStorage.setItem(KEY, JSON.stringify(st)); } catch (e) { /* storage unavailable: memory only */ }
  }

  // ---- helpers ----
  // The menu's choice; else the language the assistant last answered in; else the browser's.
  function uiLang() {
    if (st.lang) return st.lang;
    if (S[st.conv]) return st.conv;
    var n = String((navigator.languages || [])[0] || navigator.language || '').toLowerCase();
    for (var c in S) if (n.indexOf(c) === 0) return c;
    return 'en';
  }
  function t(k) { return S[uiLang()].split('|')[K.indexOf(k)]; }
  function str(v) { return v == null ? '' : String(v); }
  // el(tag, class, text, attributes). data-hk="key" localises the text, data-hka="attr=key" an attribute.
  function el(tag, cls, text, at) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    for (var k in at) e.setAttribute(k, at[k]);
    return loc(e);
  }
  function all(scope, sel, f) { Array.prototype.forEach.call(scope.querySelectorAll(sel), f); }
  function loc(scope) {
    var f = function (e) {
      var k = e.getAttribute('data-hk'), a = (e.getAttribute('data-hka') || '').split('=');
      if (k) e.textContent = t(k);
      if (a[1]) e.setAttribute(a[0], t(a[1]));
      if (cites.has(e)) e.textContent = citeText(cites.get(e));
      if (e.hasAttribute('data-hkd')) e.textContent = t('asof').replace('{d}', e.getAttribute('data-hkd'));
    };
    f(scope);
    all(scope, '[data-hk],[data-hka],[data-hkd],.hkc-cl', f);
    return scope;
  }
  function citeText(c) { return t('src') + ': ' + c.section + (c.passage_id ? ' · ' + c.passage_id : ''); }
  function button(cls, text, at, onClick) {
    var b = el('button', cls, text, at);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  function rm(e) { if (e && e.parentNode) e.parentNode.removeChild(e); }

  // ---- DOM ----
  var cites = new WeakMap(), nodes = new WeakMap(), uid = 0;
  var root = el('div', 'hkc-root');
  var launcher = button('hkc-launcher', null, { 'aria-label': TITLE, 'aria-expanded': 'false', 'aria-controls': 'hkc-panel' },
    function () { if (panel.hidden) open(); else close(); });
  var svg = 'http://www.w3.org/2000/svg', icon = d.createElementNS(svg, 'svg'), path = d.createElementNS(svg, 'path');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z');
  icon.appendChild(path);
  launcher.appendChild(icon);
  var panel = el('div', 'hkc-panel', null, { id: 'hkc-panel', role: 'dialog', 'aria-label': TITLE, hidden: '' });
  var head = el('div', 'hkc-head');
  head.append(el('div', 'hkc-title', TITLE), button('hkc-x', '×', { 'data-hka': 'aria-label=close' }, close));
  var bar = el('div', 'hkc-bar'), sel = el('select', null, null, { id: 'hkc-lang' });
  sel.appendChild(el('option', null, null, { value: '', 'data-hk': 'auto' }));
  for (var l in LANGS) sel.appendChild(el('option', null, LANGS[l], { value: l, lang: l.slice(0, 2) }));
  sel.value = st.lang;
  bar.append(el('label', null, null, { 'for': 'hkc-lang', 'data-hk': 'lang' }), sel,
    button('hkc-new', null, { 'data-hk': 'new' }, function () { reset(); input.focus(); }));
  var log = el('div', 'hkc-log', null, { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': TITLE, tabindex: '0' });
  var status = el('div', 'hkc-status', null, { role: 'status' });
  var form = el('form', 'hkc-form');
  var input = el('input', 'hkc-input', null, { id: 'hkc-input', type: 'text', autocomplete: 'off', maxlength: '2000', 'data-hka': 'placeholder=ph' });
  form.append(el('label', 'hkc-sr', null, { 'for': 'hkc-input', 'data-hk': 'msg' }), input,
    el('button', 'hkc-send', null, { type: 'submit', 'data-hk': 'send' }));
  panel.append(head, bar, log, status, form);
  root.append(launcher, panel);

  // ---- rendering of one message (plain data -> DOM) ----
  function render(m) {
    var w = el('div', 'hkc-msg hkc-' + (m.who === 'user' ? 'user' : 'bot') + (m.who === 'staff' ? ' hkc-staff' : '')), b;
    if (m.who === 'staff') w.appendChild(el('span', 'hkc-who', null, { 'data-hk': 'staff' }));
    if (m.text) {
      b = el('div', 'hkc-bubble');
      if (m.who !== 'staff') b.appendChild(el('span', 'hkc-sr', null, { 'data-hk': m.who === 'user' ? 'you' : 'bot' }));
      b.appendChild(el('span', 'hkc-text', m.text));
      w.appendChild(b);
    }
    if (/^(https?:|data:image\/)/i.test(m.image)) w.appendChild(el('img', 'hkc-img', null, { alt: '', src: m.image }));
    (m.cites || []).forEach(function (c) {
      var box = el('div', 'hkc-cite'), line = el('p', 'hkc-cl');
      cites.set(line, c);
      box.appendChild(loc(line));
      if (c.original_ja) {
        var orig = el('div', 'hkc-orig', null, { hidden: '', id: 'hkc-o' + (++uid) });
        orig.appendChild(el('p', null, c.original_ja, { lang: 'ja' }));
        if (c.as_of) orig.appendChild(el('p', 'hkc-asof', null, { 'data-hkd': c.as_of }));
        var tg = button('hkc-link', null, { 'aria-expanded': 'false', 'aria-controls': orig.id, 'data-hk': 'show' }, function () {
          var show = orig.hidden;
          orig.hidden = !show;
          tg.setAttribute('aria-expanded', String(show));
          tg.setAttribute('data-hk', show ? 'hide' : 'show');
          loc(tg);
        });
        box.append(tg, orig);
      }
      w.appendChild(box);
    });
    if (m.buttons && m.buttons.length) {
      b = el('div', 'hkc-qr');
      m.buttons.forEach(function (x) { b.appendChild(button('hkc-chip', x.title, {}, function () { quick(m, x); })); });
      w.appendChild(b);
    }
    if (m.who !== 'staff') w.appendChild(fbBox(m));
    return w;
  }
  // "Was this helpful?" yes/no (fb 1), then thanks (fb 2).
  function fbBox(m) {
    var b = el('div', 'hkc-fbw'), g;
    if (m.fb === 1) {
      g = el('div', 'hkc-fbyn');
      g.append(button('hkc-chip', null, { 'data-hk': 'yes' }, function () { feedback(m, 'yes'); }),
        button('hkc-chip', null, { 'data-hk': 'no' }, function () { feedback(m, 'no'); }));
      b.appendChild(el('div', 'hkc-fb')).append(el('p', null, null, { 'data-hk': 'helpful' }), g);
    } else if (m.fb === 2) b.appendChild(el('p', 'hkc-fb', null, { 'data-hk': 'thanks' }));
    return b;
  }
  function setFb(m, v) {
    var w = nodes.get(m), o = w && w.querySelector('.hkc-fbw');
    m.fb = v;
    if (o) w.replaceChild(fbBox(m), o);
    save();
  }
  function add(m, restoring) {
    if (!restoring) st.msgs.push(m);
    var w = render(m);
    nodes.set(m, w);
    log.appendChild(w);
    log.scrollTop = log.scrollHeight;
  }
  function drop(m) {
    var i = st.msgs.indexOf(m);
    if (i >= 0) st.msgs.splice(i, 1);
    rm(nodes.get(m));
  }

  // ---- networking: one request at a time, in order ----
  var queue = Promise.resolve(), pending = 0, gen = 0;
  function typing(on) {
    status.textContent = '';
    if (on) {
      var ty = el('div', 'hkc-typing');
      for (var i = 0; i < 3; i++) ty.appendChild(el('span', 'hkc-dot', null, { 'aria-hidden': 'true' }));
      ty.appendChild(el('span', null, null, { 'data-hk': 'typing' }));
      status.appendChild(ty);
    }
  }
  function request(path, body) {
    var ac = new AbortController(), timer = setTimeout(function () { ac.abort(); }, 60000);
    return fetch(SERVER + path, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: ac.signal
    }).finally(function () { clearTimeout(timer); });
  }
  // The server issues the conversation's session token; a new one replaces an unknown (expired) one.
  function session(renew) {
    if (st.sender && !renew) return Promise.resolve(st.sender);
    return request('/webhooks/rest/session', {}).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (j) { st.sender = String(j.session); save(); return st.sender; });
  }
  function post(message, renewed) {
    return session(renewed).then(function (sender) {
      var body = { sender: sender, message: message };
      // A menu choice overrides detection; "auto" after a choice hands it back to detection.
      if (st.lang || st.unchose) body.metadata = { language: st.lang || 'auto' };
      return request('/webhooks/rest/webhook', body);
    }).then(function (r) {
      if (r.status === 401 && !renewed) return post(message, true);
      if (!r.ok) throw new Error('HTTP ' + r.status);
      if (!st.lang && st.unchose) { st.unchose = false; save(); }
      return r.json();
    });
  }
  // Send `message` to Rasa; if it cannot be delivered, run onFail and show a localised apology.
  // quiet: the reply is not shown (feedback: the widget shows its own thanks).
  function send(message, onFail, quiet) {
    var g = gen;
    pending++;
    typing(true);
    queue = queue.then(function () {
      return g === gen && post(message).then(function (res) { if (g === gen && !quiet) receive(res); }, function () {
        if (g !== gen) return;
        onFail();
        log.appendChild(el('p', 'hkc-error', null, { 'data-hk': 'err' }));
        log.scrollTop = log.scrollHeight;
        save();
      });
    }).then(function () { if (g === gen && --pending === 0) typing(false); });
  }
  function userSays(text) {
    st.msgs.forEach(function (m) { if (m.buttons) { delete m.buttons; rm(nodes.get(m).querySelector('.hkc-qr')); } });
    all(log, '.hkc-error', rm);
    var m = { who: 'user', text: text };
    add(m);
    save();
    return m;
  }
  // A "citation" custom message belongs to the preceding text answer.
  function receive(res) {
    var out = [], last = null, cited = null;
    (Array.isArray(res) ? res : []).forEach(function (x) {
      if (!x || typeof x !== 'object') return;
      var m = { who: 'bot' }, c = x.custom;
      if (str(x.text)) m.text = str(x.text);
      if (typeof x.image === 'string') m.image = x.image;
      if (Array.isArray(x.buttons)) {
        m.buttons = x.buttons.filter(Boolean).map(function (b) {
          return { title: str(b.title != null ? b.title : b.payload), payload: str(b.payload != null ? b.payload : b.title) };
        });
      }
      if (m.text || m.image || (m.buttons && m.buttons.length)) { out.push(m); if (m.text) last = m; }
      if (c && S[c.language] && c.language !== st.conv) {
        st.conv = c.language; // labels follow the conversation's language
        root.lang = uiLang().slice(0, 2);
        loc(root);
      }
      if (c && c.type === 'citation') {
        c = { section: str(c.section), passage_id: str(c.passage_id), original_ja: str(c.original_ja), as_of: str(c.as_of) };
        if (!last) out.push(last = { who: 'bot' });
        dedupe(last, c);
        (last.cites = last.cites || []).push(c);
        cited = last;
      }
    });
    if (cited) cited.fb = 1; // ask "was this helpful?" once, after the last cited answer
    out.forEach(function (m) { add(m); });
    save();
  }
  // Text answers carry a plain-text source line (with the passage id) for channels that cannot
  // show citations. The citation line replaces it here; other sources' lines stay.
  function dedupe(m, c) {
    var lines = str(m.text).split('\n');
    if (!c.passage_id || lines.length < 2) return;
    var kept = lines.filter(function (l, i) { return i === 0 || l.indexOf(c.passage_id) < 0; });
    m.text = kept.join('\n');
  }
  function quick(m, x) {
    var choices = m.buttons, u = userSays(x.title);
    input.focus();
    send(x.payload, function () { // undelivered: offer the same choices again
      var o = nodes.get(m);
      drop(u);
      m.buttons = choices;
      if (o && o.parentNode) { add(m, true); o.parentNode.replaceChild(log.lastChild, o); }
    });
  }
  function feedback(m, v) {
    setFb(m, 2);
    input.focus();
    send('/feedback{"helpful":"' + v + '"}', function () { setFb(m, 1); }, true);
  }

  // ---- messages from the consultation center's staff: polled every few seconds ----
  var POLL_MS = 3000;
  function pollStaff() {
    if (!st.msgs.length || d.visibilityState === 'hidden') return;
    var sender = st.sender, url = SERVER + '/webhooks/rest/messages?sender=' + encodeURIComponent(sender) +
      '&after=' + encodeURIComponent(st.staffAfter || 0);
    fetch(url).then(function (r) { return r.ok ? r.json() : []; }).then(function (list) {
      if (sender !== st.sender || !Array.isArray(list)) return;
      list.forEach(function (x) {
        if (!x || !str(x.text) || !(x.timestamp > (st.staffAfter || 0))) return;
        st.staffAfter = x.timestamp;
        add({ who: 'staff', text: str(x.text) });
      });
      save();
    }, function () { /* offline: try again at the next tick */ });
  }

  // ---- open / close / reset ----
  function open() {
    panel.hidden = false;
    root.classList.add('hkc-open');
    launcher.setAttribute('aria-expanded', 'true');
    log.scrollTop = log.scrollHeight;
    input.focus();
  }
  function close() {
    panel.hidden = true;
    root.classList.remove('hkc-open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }
  function reset() {
    gen++;
    pending = 0;
    queue = Promise.resolve();
    typing(false);
    st = { sender: '', lang: st.lang, msgs: [] };
    save();
    log.textContent = '';
  }
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' || e.key === 'Esc') { e.preventDefault(); close(); }
    // Full-screen on a phone, the page behind is hidden: keep Tab inside the panel.
    if (e.key === 'Tab' && window.matchMedia('(max-width:480px)').matches) {
      var f = Array.prototype.filter.call(panel.querySelectorAll('button,select,input,[tabindex="0"]'),
        function (x) { return x.offsetParent; }), first = f[0], last = f[f.length - 1];
      if (e.shiftKey ? d.activeElement === first : d.activeElement === last) {
        e.preventDefault();
        (e.shiftKey ? last : first).focus();
      }
    }
  });
  sel.addEventListener('change', function () {
    if (st.lang && !S[sel.value]) st.unchose = true;
    st.lang = S[sel.value] ? sel.value : '';
    save();
    root.lang = uiLang().slice(0, 2);
    loc(root);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    input.value = '';
    if (!text) return;
    var u = userSays(text);
    send(text, function () { drop(u); input.value = input.value ? text + ' ' + input.value : text; });
  });

  function start() {
    d.head.appendChild(el('style', null, CSS, { id: 'hkc-style' }));
    d.body.appendChild(root);
    try { st.msgs.forEach(function (m) { add(m, true); }); } catch (e) { st.msgs = []; log.textContent = ''; save(); } // damaged storage
    root.lang = uiLang().slice(0, 2);
    loc(root);
    setInterval(pollStaff, POLL_MS);
  }
  if (d.body) start(); else d.addEventListener('DOMContentLoaded', start);

  window.HokkaidoChat = { open: open, close: close, reset: reset };
})();
