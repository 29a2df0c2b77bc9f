// 国培助手 console: small enhancements over pages that already work without this script.
// Chat answers arrive in place (shown while a model writes them), citation markers open their quoted span, uploads show progress and then
// follow the indexing job, eval runs show live progress, and destructive forms ask once more.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var STATES = { queued: "排队中", running: "进行中", done: "已完成", failed: "失败", cancelled: "已取消",
                 ready: "可检索", indexing: "索引中" };
  function stateName(s) { return STATES[s] || s; }

  function post(url, body, extra) {
    var headers = Object.assign({ "X-CSRF-Token": csrf, "X-Console-Fragment": "1" }, extra || {});
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" });
  }

  function openCitation(id) {
    var panel = document.getElementById(id);
    if (!panel) return;
    panel.open = true;
    var summary = panel.querySelector("summary");
    panel.scrollIntoView({ block: "nearest" });
    if (summary) summary.focus();
  }

  document.addEventListener("click", function (event) {
    var marker = event.target.closest && event.target.closest("a.marker");
    if (marker) {
      event.preventDefault();
      openCitation(marker.getAttribute("data-cite"));
    }
  });

  // -- chat -----------------------------------------------------------------------------------------
  var ask = document.getElementById("ask");
  if (ask) {
    var log = document.getElementById("log");
    var busy = ask.querySelector(".busy");
    var field = ask.querySelector("textarea");
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) ask.requestSubmit();
    });
    function chatError(detail) {
      var p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      p.textContent = detail;
      log.appendChild(p);
    }
    function detailOf(text) {
      try { return JSON.parse(text).detail || "出错了，请稍后再试"; } catch (e) { return "出错了，请稍后再试"; }
    }
    // Server-sent events from a fetch body: calls on[name](data) for each complete event.
    function readEvents(response, on) {
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function dispatch(frame) {
        var name = "message", data = [];
        frame.split("\n").forEach(function (line) {
          if (line.indexOf("event:") === 0) name = line.slice(6).trim();
          else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
        });
        if (data.length && on[name]) on[name](JSON.parse(data.join("\n")));
      }
      function pump() {
        return reader.read().then(function (chunk) {
          buffer += decoder.decode(chunk.value || new Uint8Array(), { stream: !chunk.done });
          var frames = buffer.split("\n\n");
          buffer = frames.pop();
          frames.forEach(dispatch);
          if (!chunk.done) return pump();
        });
      }
      return pump();
    }
    ask.addEventListener("submit", function (event) {
      event.preventDefault();
      // A blank question goes to the server too: the core's refusal (the same words as the bot and the API)
      // is shown, where returning here silently left the teacher wondering whether anything happened.
      var data = new FormData(ask);
      var question = field.value;
      var streams = !!(window.ReadableStream && window.TextDecoder);
      var live = null;  // the answer while it is written, replaced by the server's rendering at the end
      var done = false;
      busy.hidden = false;
      ask.querySelector("button").disabled = true;
      function finish(html) {
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var exchange = holder.querySelector(".exchange");
        if (live) live.replaceWith(exchange); else log.appendChild(exchange);
        live = null;
        done = true;
        ask.querySelector('input[name="history"]').value = exchange.getAttribute("data-history");
        field.value = "";
        exchange.querySelector(".answer").focus();
      }
      function piece(text) {
        if (!live) {
          live = document.createElement("article");
          live.className = "exchange-live";
          live.setAttribute("aria-busy", "true");
          var q = document.createElement("p");
          q.className = "q";
          q.textContent = question;
          var answer = document.createElement("div");
          answer.className = "answer";
          live.appendChild(q);
          live.appendChild(answer);
          log.appendChild(live);
        }
        live.querySelector(".answer").textContent += text;
      }
      function cutShort(detail) {
        if (live) {
          live.removeAttribute("aria-busy");
          live.classList.remove("exchange-live");
          live.classList.add("exchange-cut");
          live = null;
        }
        chatError(detail);
      }
      var request = streams ? post("/chat/stream", data, { "Accept": "text/event-stream" }) : post("/chat", data);
      request.then(function (response) {
        if (!response.ok) return response.text().then(function (text) { chatError(detailOf(text)); });
        if (!streams) return response.text().then(finish);
        return readEvents(response, {
          delta: function (d) { piece(d.text); },
          answer: function (d) { finish(d.html); },
          error: function (d) { done = true; cutShort(d.detail); }
        }).then(function () { if (!done) cutShort("回答未能完成，请稍后重新提问"); });
      }).catch(function () {
        if (live) cutShort("网络连接失败，请稍后再试"); else chatError("网络连接失败，请稍后再试");
      }).finally(function () {
        busy.hidden = true;
        ask.querySelector("button").disabled = false;
      });
    });
    log.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("rate")) return;
      event.preventDefault();
      var data = new FormData(form);
      data.append("rating", event.submitter ? event.submitter.value : "up");
      post("/chat/rate", data, { "Accept": "application/json" }).then(function (r) { return r.json(); })
        .then(function (body) {
          form.querySelector(".rated").textContent = body.detail || "";
          form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        });
    });
  }

  // -- upload ---------------------------------------------------------------------------------------
  var upload = document.getElementById("upload");
  if (upload) {
    var drop = document.getElementById("drop");
    var input = document.getElementById("file");
    var bar = document.getElementById("upload-progress");
    var state = document.getElementById("upload-state");
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        upload.requestSubmit();
      }
    });
    function follow(job) {
      fetch("/library/jobs/" + job, { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          bar.value = Math.round((j.progress || 0) * 100);
          state.textContent = "索引任务：" + stateName(j.status) + " " + (j.stage || "") + (j.error ? "（" + j.error + "）" : "");
          if (j.status === "queued" || j.status === "running") setTimeout(function () { follow(job); }, 700);
          else setTimeout(function () { window.location.assign("/library"); }, 600);
        });
    }
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!input.files.length) return;
      upload.querySelector(".progress").hidden = false;
      bar.value = 0;
      state.textContent = "正在上传 " + input.files[0].name + "……";
      var xhr = new XMLHttpRequest();
      xhr.open("POST", upload.action);
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round(e.loaded / e.total * 100);
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
        if (xhr.status >= 400) {
          state.textContent = "上传失败：" + (body.detail || xhr.status);
          state.className = "error";
          return;
        }
        bar.value = 100;
        var r = body.resource || {};
        state.textContent = "已上传《" + r.title + "》：第 " + r.version + " 版，" + r.chunks + " 个文本块，" + stateName(r.status);
        if (body.job) follow(body.job.id);
        else setTimeout(function () { window.location.assign("/library?shown=" + encodeURIComponent(r.id)); }, 600);
      });
      xhr.addEventListener("error", function () { state.textContent = "网络连接失败，请重试"; });
      xhr.send(new FormData(upload));
    });
  }

  // -- eval runs --------------------------------------------------------------------------------------
  var run = document.getElementById("run");
  if (run && (run.dataset.status === "queued" || run.dataset.status === "running")) {
    var runBar = document.getElementById("run-progress");
    var runState = document.getElementById("run-state");
    (function poll() {
      fetch("/admin/evals/" + run.dataset.run, { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          runBar.value = s.progress || 0;
          runState.textContent = stateName(s.status) + " · " + (s.stage || "") + (s.detail ? " · " + s.detail : "");
          if (s.status === "queued" || s.status === "running") setTimeout(poll, 800);
          else window.location.reload();
        });
    })();
  }

  // -- confirmation for irreversible forms --------------------------------------------------------------
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
