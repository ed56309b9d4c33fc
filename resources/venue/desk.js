// The front desk: log in, watch every room live, open/extend/close rooms, send messages.
"use strict";
(() => {
  let lang = (navigator.language || "zh").startsWith("zh") ? "zh" : "en";
  let token = sessionStorage.getItem("desk-token") || "";
  const rooms = new Map();  // name -> room JSON from /api/desk/rooms, live parts from the stream
  const $ = (sel) => document.querySelector(sel);
  const say = (text) => { $("#status").textContent = text; };
  const msg = (body) => (body && body.message ? body.message[lang] : "");

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-zh]").forEach((el) => { el.textContent = el.dataset[lang]; });
    document.querySelectorAll("[data-placeholder-zh]").forEach((el) => {
      el.placeholder = lang === "zh" ? el.dataset.placeholderZh : el.dataset.placeholderEn;
    });
    $("#lang").textContent = lang === "zh" ? "English" : "中文";
    renderRooms();
  }

  async function api(path, body) {
    const init = { headers: { "Authorization": "Bearer " + token } };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const data = await response.json().catch(() => ({}));
    if (response.status === 401 && path !== "/api/desk/login") { logout(); }
    if (!response.ok) { throw new Error(msg(data) || response.statusText); }
    return data;
  }

  function logout() {
    token = "";
    sessionStorage.removeItem("desk-token");
    $("#desk").hidden = true;
    $("#login").hidden = false;
  }

  $("#login").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const data = await api("/api/desk/login", { name: $("#name").value, password: $("#password").value });
      token = data.token;
      sessionStorage.setItem("desk-token", token);
      $("#who").textContent = data.staff;
      $("#login-error").textContent = "";
      start();
    } catch (error) {
      $("#login-error").textContent = error.message;
    }
  });

  $("#lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; applyLanguage(); });

  $("#broadcast").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $("#broadcast-text").value.trim();
    if (!text) return;
    try { await api("/api/desk/message", { text }); $("#broadcast-text").value = ""; say(lang === "zh" ? "已发送" : "Sent"); }
    catch (error) { say(error.message); }
  });

  function timeLeft(room) {
    if (!room.open || !room.closes_at) return lang === "zh" ? "未开台" : "Closed";
    const ms = Math.max(0, Date.parse(room.closes_at) - Date.now());
    const minutes = Math.ceil(ms / 60000);
    return lang === "zh" ? `剩余 ${minutes} 分钟` : `${minutes} min left`;
  }

  // One card per room, built once and then only updated: a live update must never wipe
  // what the staff is typing into a card (minutes, a message).
  const cards = new Map();

  function buildCard(name) {
    const card = $("#room-card").content.firstElementChild.cloneNode(true);
    card.dataset.room = name;
    const room = () => rooms.get(name);
    const act = (action, body) => async () => {
      try { update(await api(`/api/desk/rooms/${encodeURIComponent(name)}/${action}`, body())); }
      catch (error) { say(error.message); }
    };
    const minutes = () => ({ minutes: +card.querySelector(".minutes").value });
    card.querySelector(".open").onclick = act("open", minutes);
    card.querySelector(".extend").onclick = act("extend", minutes);
    card.querySelector(".close").onclick = act("close", () => ({}));
    card.querySelector(".pause").onclick = act("limits", () => ({ paused: !room().paused }));
    card.querySelector(".limit").onclick = act("limits", () => ({ volume_cap: +card.querySelector(".cap").value }));
    card.querySelector(".send").onclick = async () => {
      const input = card.querySelector(".message");
      const text = input.value.trim();
      if (!text) return;
      try {
        await api(`/api/desk/rooms/${encodeURIComponent(name)}/message`, { text });
        input.value = "";
        say(lang === "zh" ? "已发送" : "Sent");
      } catch (error) { say(error.message); }
    };
    $("#rooms").append(card);
    cards.set(name, card);
    return card;
  }

  function renderRooms() {
    if (!$("#rooms")) return;
    for (const [name, card] of cards) {
      if (!rooms.has(name)) { card.remove(); cards.delete(name); }
    }
    for (const room of rooms.values()) {
      const card = cards.get(room.room) || buildCard(room.room);
      card.classList.toggle("open", room.open);
      card.classList.toggle("offline", !room.online);
      card.querySelector(".name").textContent = room.room;
      const live = room.live || {};
      card.querySelector(".state").textContent =
        (room.online ? (lang === "zh" ? "在线" : "online") : (lang === "zh" ? "离线" : "offline")) +
        (room.paused ? (lang === "zh" ? " · 已暂停" : " · paused") : "");
      const now = live.now_playing;
      card.querySelector(".song").textContent = now
        ? (now.singer ? now.singer + " — " : "") + now.title
        : (lang === "zh" ? "没有在唱" : "Nothing playing");
      card.querySelector(".queue").textContent =
        (lang === "zh" ? "队列：" : "Queue: ") + (live.queue_length ?? 0);
      card.querySelector(".left").textContent = timeLeft(room);
      card.querySelectorAll("[data-zh]").forEach((el) => { el.textContent = el.dataset[lang]; });
    }
  }

  function update(room) {
    if (room && room.room) {
      rooms.set(room.room, { ...(rooms.get(room.room) || {}), ...room });
      renderRooms();
    }
  }

  async function refreshLists() {
    const [day, week, library] = await Promise.all([
      api("/api/desk/charts?period=day"), api("/api/desk/charts?period=week"), api("/api/desk/library"),
    ]);
    const fill = (list, items) => {
      list.replaceChildren(...items.map((song) => {
        const li = document.createElement("li");
        li.textContent = `${song.title} — ${song.singers.join(" / ")} (${song.requests})`;
        return li;
      }));
    };
    fill($("#chart-day"), day.items);
    fill($("#chart-week"), week.items);
    const last = library.last_scan;
    $("#library").textContent =
      (lang === "zh" ? `共 ${library.songs} 首` : `${library.songs} songs`) +
      (last ? (lang === "zh" ? `，上次扫描跳过 ${last.skipped} 个` : `, last scan skipped ${last.skipped}`) : "") +
      (library.unplayable.length ? (lang === "zh" ? "；无法播放：" : "; unplayable: ") +
        library.unplayable.slice(0, 20).map((f) => `${f.path} (${f.reason})`).join("; ") : "");
  }

  async function follow() {
    // Live room changes: one JSON object per line; reconnects after an outage.
    for (;;) {
      try {
        const response = await fetch("/api/desk/events", { headers: { "Authorization": "Bearer " + token } });
        if (response.status === 401) { logout(); return; }
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let newline;
          while ((newline = buffer.indexOf("\n")) >= 0) {
            const change = JSON.parse(buffer.slice(0, newline));
            buffer = buffer.slice(newline + 1);
            if (change.room) update(change);
            if (change.hello) await loadRooms();
          }
        }
      } catch (error) {
        say(lang === "zh" ? "与服务器的连接中断，正在重连…" : "Lost the server; reconnecting…");
      }
      if (!token) return;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  async function loadRooms() {
    const data = await api("/api/desk/rooms");
    rooms.clear();
    data.rooms.forEach((room) => rooms.set(room.room, room));
    renderRooms();
    say("");
  }

  async function start() {
    $("#login").hidden = true;
    $("#desk").hidden = false;
    try { await loadRooms(); await refreshLists(); } catch (error) { say(error.message); }
    follow();
    setInterval(renderRooms, 30000);  // the minutes left tick down between events
    setInterval(() => refreshLists().catch(() => {}), 60000);
  }

  applyLanguage();
  if (token) start();
})();
