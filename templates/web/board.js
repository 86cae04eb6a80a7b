// The plenary board: ask every two seconds whether the page changed (ETag; the server answers
// 304 while nothing did), swap in the new <main> when it did, and follow the arrow keys.
(function () {
  "use strict";
  var root = document.documentElement;
  var etag = root.getAttribute("data-etag");
  var interval = parseInt(root.getAttribute("data-poll-ms"), 10) || 2000;
  var HIGHLIGHT_MS = 2500;

  function signatures(main) {
    var found = {};
    main.querySelectorAll(".rec[data-number]").forEach(function (item) {
      found[item.getAttribute("data-number")] = item.getAttribute("data-sig");
    });
    return found;
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("board");
    var current = document.getElementById("board");
    if (!fresh || !current) {
      return;
    }
    var before = signatures(current);
    current.replaceWith(fresh);
    fresh.querySelectorAll(".rec[data-number]").forEach(function (item) {
      var was = before[item.getAttribute("data-number")];
      if (was !== item.getAttribute("data-sig")) {
        item.classList.add("changed");
        setTimeout(function () { item.classList.remove("changed"); }, HIGHLIGHT_MS);
      }
    });
  }

  function poll() {
    if (document.hidden) {
      setTimeout(poll, interval);
      return;
    }
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(location.href, { cache: "no-store", credentials: "omit", headers: headers })
      .then(function (response) {
        if (response.status === 404) {
          location.reload(); // the link was revoked: show what the server says now
          return null;
        }
        if (response.status !== 200) {
          return null;
        }
        etag = response.headers.get("ETag") || etag;
        return response.text();
      })
      .then(function (html) {
        if (html) {
          swap(html);
        }
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, interval); });
  }

  // Presentation mode: the arrows go to the previous and next group (and the whole workshop).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
    var link = rel && document.querySelector('link[rel="' + rel + '"]');
    if (link) {
      event.preventDefault();
      location.assign(link.href);
    }
  });

  setTimeout(poll, interval);
})();
