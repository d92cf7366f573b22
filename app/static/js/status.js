// The extension status board, live: Server-Sent Events from the status server, else a 5 s poll.
// Text that comes from FreeSWITCH (caller-ID names, user agents) is only ever set with
// textContent: a name holding HTML stays text.
(function () {
  "use strict";

  var board = document.getElementById("status-board");
  if (!board) return;
  var page = document.getElementById("status-page");
  var notice = function () { return board.querySelector(".status-unreachable"); };
  var filter = board.getAttribute("data-filter-state") || "";

  function label(state) {
    return board.getAttribute("data-label-" + state.replace("_", "-")) || state;
  }

  function show(id, status) {
    var tile = board.querySelector('.tile[data-id="' + String(Number(id)) + '"]');
    if (!tile) return;
    tile.setAttribute("data-state", status.state);
    tile.className = "tile tile-" + status.state.replace("_", "-");
    tile.querySelector(".tile-state").textContent = label(status.state);
    tile.querySelector(".tile-detail").textContent = status.peer || status.agent || "";
    tile.hidden = Boolean(filter) && status.state !== filter;
  }

  function reachable(yes) {
    var element = notice();
    if (element) element.hidden = yes !== false;
  }

  function poll() {
    // No SSE: htmx asks the portal for the board's fragment every 5 s.
    board.setAttribute("hx-get", board.getAttribute("data-poll-url"));
    board.setAttribute("hx-trigger", "every 5s");
    board.setAttribute("hx-swap", "innerHTML");
    if (window.htmx) window.htmx.process(board);
  }

  function listen() {
    var opened = false;
    var failures = 0;
    var source = new EventSource(board.getAttribute("data-stream-url"), { withCredentials: true });
    source.addEventListener("open", function () { opened = true; failures = 0; board.setAttribute("data-live", "sse"); });
    source.addEventListener("snapshot", function (event) {
      var data = JSON.parse(event.data);
      reachable(data.reachable);
      Object.keys(data.extensions).forEach(function (id) { show(id, data.extensions[id]); });
    });
    source.addEventListener("state", function (event) {
      var data = JSON.parse(event.data);
      show(data.id, data);
    });
    source.addEventListener("freeswitch", function (event) {
      reachable(JSON.parse(event.data).reachable);
    });
    source.addEventListener("error", function () {
      // The browser reconnects by itself (and then gets the whole state again); a stream
      // that never opened, or keeps failing, is given up for the poll.
      failures += 1;
      if (source.readyState === EventSource.CLOSED || (!opened && failures >= 3) || failures >= 10) {
        source.close();
        board.setAttribute("data-live", "poll");
        poll();
      }
    });
  }

  if (window.EventSource && board.getAttribute("data-stream-url")) {
    listen();
  } else {
    board.setAttribute("data-live", "poll");
    poll();
  }

  // The arrows: the browser's full screen when it has one (the filters stay as they are);
  // the link itself (?full=1, the same filters) otherwise.
  var toggle = page && page.querySelector("[data-fullscreen]");
  if (toggle && page.requestFullscreen && toggle.getAttribute("data-fullscreen") === "on") {
    toggle.addEventListener("click", function (event) {
      event.preventDefault();
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else {
        page.requestFullscreen().catch(function () { window.location.href = toggle.href; });
      }
    });
  }
})();
