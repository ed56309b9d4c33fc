// ktvdesk phone remote: plain JS, no build step. Text only ever goes in through
// textContent (never innerHTML); the credential travels in the Authorization header.
"use strict";
(function () {
  const T = {
    zh: {
      title: "扫码点歌", join_hint: "输入你的名字，大家就知道轮到谁唱了。", your_name: "你的名字", join: "进入包厢",
      expired: "二维码已失效，请重新扫描电视上的二维码。", now: "正在唱", nothing: "现在没有歌", play_pause: "播放/暂停",
      original: "原唱", accompaniment: "伴唱", restart: "重唱", skip: "切歌", key_up: "升调", key_down: "降调",
      vol_up: "音量＋", vol_down: "音量−", applause: "鼓掌", cheer: "欢呼", laugh: "大笑", whistle: "口哨",
      search: "点歌", browse: "分类", queue: "已点", search_hint: "歌名、歌手或拼音首字母", go: "搜索",
      add: "点歌", top: "优先", remove: "删除", empty: "还没有人点歌。", no_results: "没有找到歌曲。",
      next: "下一首", in: "约 {0} 后", queued: "已点：{0}", more: "更多", offline: "连接中断，正在重连…",
      charts: "排行", most_sung: "最多人唱", favorites: "主人的收藏", fav: "☆ 收藏", faved: "★ 已收藏",
      starred: "已收藏：{0}", unstarred: "已取消收藏：{0}", no_favorites: "还没有收藏。", lang: "EN"
    },
    en: {
      title: "Sing from your phone", join_hint: "Enter your name so everyone knows whose turn it is.", your_name: "Your name",
      join: "Join the room", expired: "This QR code is no longer valid. Scan the code on the TV again.", now: "Now",
      nothing: "Nothing is playing", play_pause: "Play/Pause", original: "Vocal", accompaniment: "Backing",
      restart: "Restart", skip: "Skip", key_up: "Key +", key_down: "Key −", vol_up: "Vol +", vol_down: "Vol −",
      applause: "Applause", cheer: "Cheer", laugh: "Laugh", whistle: "Whistle", search: "Songs", browse: "Browse",
      queue: "Queue", search_hint: "Title, singer or pinyin initials", go: "Search", add: "Add", top: "Next",
      remove: "Remove", empty: "Nobody has queued a song yet.", no_results: "No songs found.", next: "next",
      in: "in {0}", queued: "Queued: {0}", more: "More", offline: "Connection lost, reconnecting…",
      charts: "Charts", most_sung: "Most sung", favorites: "The host's favourites", fav: "☆", faved: "★",
      starred: "Starred: {0}", unstarred: "Unstarred: {0}", no_favorites: "No favourites yet.", lang: "中文"
    }
  };
  const $ = (id) => document.getElementById(id);
  const store = window.localStorage;
  let lang = store.getItem("ktv_lang") || ((navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en");
  let credential = store.getItem("ktv_credential");
  let guestId = store.getItem("ktv_guest");
  let singer = store.getItem("ktv_singer_name") || readCookie("ktv_singer") || "";
  let state = null;
  let socket = null;
  let retryMs = 500;
  let noticeTimer = null;
  const favorites = new Set(); // "provider:id" of the host's favourites this phone knows of

  const tr = (key, ...args) => (T[lang][key] || key).replace(/\{(\d)\}/g, (_, i) => args[Number(i)]);

  function readCookie(name) {
    const hit = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return hit ? decodeURIComponent(hit.split("=")[1]) : "";
  }

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-t]").forEach((el) => {
      const keep = el.querySelector("span");
      el.textContent = tr(el.dataset.t) + (keep ? " " : "");
      if (keep) el.appendChild(keep);
    });
    document.querySelectorAll("[data-tp]").forEach((el) => { el.placeholder = tr(el.dataset.tp); });
    $("lang").textContent = tr("lang");
    markStars();
    if (state) render(state);
  }

  function notice(text, kind) {
    const box = $("notice");
    box.textContent = text;
    box.className = "notice" + (kind ? " " + kind : "");
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => { box.hidden = true; }, 6000);
  }

  function show(section) {
    for (const id of ["join", "expired", "app"]) $(id).hidden = id !== section;
  }

  async function api(method, path, body, quiet) {
    const headers = { Authorization: "Bearer " + (credential || "") };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (response.status === 401) { signOut(); throw new Error("401"); }
    if (!response.ok) {
      const message = data && data.message ? data.message[lang] : String(response.status);
      if (!quiet) notice(message);
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function signOut() {
    credential = null;
    store.removeItem("ktv_credential");
    if (socket) socket.close();
    show("expired");
  }

  async function join(name) {
    const token = store.getItem("ktv_token") || "";
    const response = await fetch("/api/session", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token, singer: name })
    });
    const data = await response.json().catch(() => null);
    if (response.status === 401) { show("expired"); return; }
    if (!response.ok) { notice(data && data.message ? data.message[lang] : String(response.status)); return; }
    credential = data.credential; guestId = data.guest_id; singer = data.singer;
    store.setItem("ktv_credential", credential);
    store.setItem("ktv_guest", guestId);
    store.setItem("ktv_singer_name", singer);
    document.cookie = "ktv_singer=" + encodeURIComponent(singer) + "; max-age=31536000; path=/; samesite=strict";
    start();
  }

  function start() {
    $("me").textContent = singer;
    show("app");
    connect();
    loadFavorites().catch(() => {});
  }

  async function loadFavorites() {
    const data = await api("GET", "/api/favorites", undefined, true);
    favorites.clear();
    for (const song of data.items) favorites.add(song.provider + ":" + song.id);
    markStars();
    return data;
  }

  function markStars() {
    document.querySelectorAll("button.fav").forEach((b) => {
      const on = favorites.has(b.dataset.song);
      b.textContent = tr(on ? "faved" : "fav");
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  async function toggleStar(song) {
    const key = song.provider + ":" + song.id;
    if (favorites.has(key)) {
      await api("DELETE", "/api/favorites/" + encodeURIComponent(song.provider) + "/" + encodeURIComponent(song.id));
      favorites.delete(key);
      notice(tr("unstarred", song.title), "info");
    } else {
      await api("POST", "/api/favorites", { provider: song.provider, song_id: song.id });
      favorites.add(key);
      notice(tr("starred", song.title), "info");
    }
    markStars();
    if (!$("tab-charts").hidden) charts().catch(() => {});
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/api/events");
    socket.onopen = () => { socket.send(JSON.stringify({ credential })); retryMs = 500; };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "state") render(message);
      else if (message.type === "cheer") notice("♪ " + message.singer + ": " + tr(message.sound), "info");
    };
    socket.onclose = (event) => {
      if (event.code === 4401) { signOut(); return; }
      if (!credential) return;
      // Reconnect after a drop (phone asleep, Wi-Fi roaming); the first snapshot catches up.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10000);
    };
  }

  function fmt(ms) {
    const s = Math.round((ms || 0) / 1000);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, onClick, className) {
    const b = el("button", className, label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function render(s) {
    state = s;
    const now = s.now;
    $("now-song").textContent = now ? now.song.title + " — " + now.song.singers.join(" / ") : tr("nothing");
    $("now-singer").textContent = now && now.singer ? "♪ " + now.singer : "";
    $("vocal-btn").textContent = s.vocal === "original" ? tr("original") : tr("accompaniment");
    $("key").textContent = (s.key > 0 ? "+" : "") + s.key;
    $("volume").textContent = s.volume;
    $("skip-btn").hidden = !s.policy.allow_skip;
    $("restart-btn").hidden = !s.policy.allow_restart;
    $("cheers").hidden = !s.policy.allow_cheers;
    const list = $("queue");
    list.replaceChildren();
    for (const entry of s.queue) {
      const mine = entry.owner === guestId;
      const li = el("li", "entry" + (mine ? " mine" : ""));
      li.dataset.entry = entry.entry_id;
      const text = el("div", "text");
      text.appendChild(el("div", "title", entry.song.title));
      const when = entry.starts_in_ms === 0 ? tr("next") : tr("in", fmt(entry.starts_in_ms));
      const sub = el("div", "sub");
      sub.appendChild(el("span", "who", entry.singer ? "♪ " + entry.singer : ""));
      sub.appendChild(document.createTextNode(" · " + entry.song.singers.join(" / ") + " · " + when));
      text.appendChild(sub);
      li.appendChild(text);
      if (mine && s.policy.allow_priority) li.appendChild(button(tr("top"), () => api("POST", "/api/queue/" + entry.entry_id + "/top").catch(() => {}), "top"));
      if (mine) li.appendChild(button(tr("remove"), () => api("DELETE", "/api/queue/" + entry.entry_id).catch(() => {}), "remove"));
      list.appendChild(li);
    }
    $("queue-empty").hidden = s.queue.length > 0;
    $("queue-count").textContent = s.queue.length ? "(" + s.queue.length + ")" : "";
    document.body.dataset.revision = s.revision;
  }

  function songItem(song) {
    const li = el("li", "result");
    li.dataset.song = song.provider + ":" + song.id;
    const text = el("div", "text");
    text.appendChild(el("div", "title", song.title));
    text.appendChild(el("div", "sub", song.singers.join(" / ") + (song.duration_ms ? " · " + fmt(song.duration_ms) : "")));
    li.appendChild(text);
    const add = (priority) => api("POST", "/api/queue", { provider: song.provider, song_id: song.id, singer, priority })
      .then(() => notice(tr("queued", song.title), "info")).catch(() => {});
    li.appendChild(button(tr("add"), () => add(false), "add primary"));
    if (state && state.policy.allow_priority) li.appendChild(button(tr("top"), () => add(true), "top"));
    const star = button(tr("fav"), () => toggleStar(song).catch(() => {}), "fav");
    star.dataset.song = song.provider + ":" + song.id;
    const on = favorites.has(star.dataset.song);
    star.textContent = tr(on ? "faved" : "fav");
    star.classList.toggle("on", on);
    star.setAttribute("aria-pressed", on ? "true" : "false");
    li.appendChild(star);
    return li;
  }

  function showPage(list, provider, page, loadMore) {
    if (page.error) list.appendChild(el("li", "muted", provider + ": " + page.error[lang]));
    for (const song of page.items) list.appendChild(songItem(song));
    if (page.cursor) {
      const more = button(tr("more"), () => { more.remove(); loadMore(page.cursor); }, "more");
      list.appendChild(more);
    }
  }

  async function search(q, provider, cursor) {
    const list = $("results");
    if (!cursor) list.replaceChildren();
    const params = new URLSearchParams({ q });
    if (provider) params.set("provider", provider);
    if (cursor) params.set("cursor", cursor);
    const data = await api("GET", "/api/search?" + params);
    let count = 0;
    for (const page of data.results) {
      if (!provider && data.results.length > 1 && page.items.length) list.appendChild(el("li", "provider", page.provider));
      showPage(list, page.provider, page, (next) => search(q, page.provider, next).catch(() => {}));
      count += page.items.length;
    }
    if (!cursor && count === 0) list.appendChild(el("li", "muted", tr("no_results")));
  }

  async function browse() {
    const box = $("tags");
    if (box.childElementCount) return;
    const providers = (await api("GET", "/api/providers")).providers;
    for (const provider of providers) {
      const data = await api("GET", "/api/tags?provider=" + encodeURIComponent(provider)).catch(() => null);
      if (!data) continue;
      for (const group of data.groups) {
        for (const tag of group.tags) {
          box.appendChild(button(tag.name, () => tagSongs(provider, tag.id).catch(() => {})));
        }
      }
    }
  }

  async function tagSongs(provider, tagId, cursor) {
    const list = $("tag-songs");
    if (!cursor) list.replaceChildren();
    const params = new URLSearchParams({ provider });
    if (cursor) params.set("cursor", cursor);
    const page = await api("GET", "/api/tags/" + encodeURIComponent(tagId) + "?" + params);
    showPage(list, provider, page, (next) => tagSongs(provider, tagId, next).catch(() => {}));
  }

  async function charts() {
    const data = await loadFavorites().catch(() => null);
    const list = $("charts");
    list.replaceChildren();
    for (const provider of (await api("GET", "/api/providers")).providers) {
      // Only some catalogs keep a "most sung" list; the others answer 404, quietly.
      const page = await api("GET", "/api/charts?provider=" + encodeURIComponent(provider), undefined, true).catch(() => null);
      if (page) showPage(list, provider, page, () => {});
    }
    const starred = $("favorites");
    starred.replaceChildren();
    if (data) for (const song of data.items) starred.appendChild(songItem(song));
    if (!data || !data.items.length) starred.appendChild(el("li", "muted", tr("no_favorites")));
  }

  function wire() {
    $("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; store.setItem("ktv_lang", lang); applyLanguage(); });
    $("join-form").addEventListener("submit", (e) => { e.preventDefault(); join($("join-name").value.trim()); });
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const q = $("search-q").value.trim();
      if (q) search(q).catch(() => {});
    });
    document.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", () => {
      api("POST", "/api/control", { action: b.dataset.action }).then(render).catch(() => {});
    }));
    document.querySelectorAll("[data-sound]").forEach((b) => b.addEventListener("click", () => {
      api("POST", "/api/cheer", { sound: b.dataset.sound }).catch(() => {});
    }));
    document.querySelectorAll("[data-tab]").forEach((b) => b.addEventListener("click", () => {
      document.querySelectorAll("[data-tab]").forEach((o) => o.classList.toggle("on", o === b));
      for (const name of ["search", "browse", "charts", "queue"]) $("tab-" + name).hidden = name !== b.dataset.tab;
      if (b.dataset.tab === "browse") browse().catch(() => {});
      if (b.dataset.tab === "charts") charts().catch(() => {});
    }));
  }

  function boot() {
    wire();
    const url = new URL(location.href);
    const token = url.searchParams.get("t");
    if (token) {
      if (token !== store.getItem("ktv_token")) { credential = null; store.removeItem("ktv_credential"); }
      store.setItem("ktv_token", token);
      // Keep the token out of the address bar (screenshots, shared links).
      history.replaceState(null, "", location.pathname);
    }
    $("join-name").value = singer;
    applyLanguage();
    if (credential) start();
    else if (store.getItem("ktv_token")) show("join");
    else show("expired");
  }

  boot();
})();
