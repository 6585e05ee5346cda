/* Allele's XBlock client runtime: starts each block's JavaScript with a small runtime
   (handler URLs, children), sends the CSRF token with every same-origin request, and shows
   a polite note in the block when one of its handlers fails. Load with `defer`. */
(function () {
  "use strict";

  function csrfToken() {
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (cookie) { return decodeURIComponent(cookie[1]); }
    var meta = document.querySelector('meta[name="csrf-token"]');
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return (meta && meta.content) || (input && input.value) || "";
  }

  function sameOrigin(url) {
    return new URL(url, location.href).origin === location.origin;
  }

  function unsafe(method) {
    return !/^(GET|HEAD|OPTIONS|TRACE)$/i.test(method || "GET");
  }

  function blockFor(url) {
    var path = new URL(url, location.href).pathname;
    var blocks = document.querySelectorAll(".xblock[data-handler-prefix]");
    for (var i = blocks.length - 1; i >= 0; i--) {
      if (path.indexOf(blocks[i].dataset.handlerPrefix) === 0) { return blocks[i]; }
    }
    return null;
  }

  // A refusal from Allele ({"error": "Enroll in ... to use this activity."}) says why;
  // anything else keeps the block's general note.
  function showFailure(url, message) {
    var block = blockFor(url);
    var note = block && Array.prototype.find.call(
      block.querySelectorAll("[data-xblock-failure]"),
      function (el) { return el.closest(".xblock") === block; });
    if (!note) { return; }
    if (!note.dataset.general) { note.dataset.general = note.textContent; }
    note.textContent = message || note.dataset.general;
    note.hidden = false;
  }

  function refusalMessage(text) {
    try { return JSON.parse(text).error || ""; } catch (ignored) { return ""; }
  }

  function hideFailure(url) {
    var block = blockFor(url);
    var note = block && block.querySelector("[data-xblock-failure]");
    if (note && note.closest(".xblock") === block) { note.hidden = true; }
  }

  function domElement(element) {
    return element && element.jquery ? element[0] : element;
  }

  function childBlocks(element) {
    return Array.prototype.filter.call(
      domElement(element).querySelectorAll(".xblock"),
      function (child) { return child.parentElement.closest(".xblock") === domElement(element); });
  }

  var runtime = {
    handlerUrl: function (element, handlerName, suffix, query, thirdparty) {
      var prefix = domElement(element).closest(".xblock").dataset.handlerPrefix;
      var url = prefix + encodeURIComponent(handlerName) + "/" + (suffix || "");
      if (query) { url += "?" + query; }
      return thirdparty ? new URL(url, location.href).href : url;
    },
    children: function (element) {
      return childBlocks(element).map(function (child) { return child.xblock || child; });
    },
    childMap: function (element, name) {
      var found = childBlocks(element).filter(function (child) {
        return child.dataset.name === name || child.dataset.usageId === name;
      })[0];
      return found ? (found.xblock || found) : undefined;
    },
    notify: function () {},
    element: null
  };

  function initArgs(element) {
    var first = element.firstElementChild;
    if (first && first.matches('script[type="application/json"]')) {
      return JSON.parse(first.textContent);
    }
    return undefined;
  }

  function initialize(element) {
    childBlocks(element).forEach(initialize);
    var name = element.dataset.init;
    var fn = name && name.split(".").reduce(function (scope, key) {
      return scope == null ? undefined : scope[key];
    }, window);
    if (typeof fn !== "function" || element.dataset.initialized) { return; }
    element.dataset.initialized = "true";
    var blockRuntime = Object.assign({}, runtime, { element: element });
    try {
      element.xblock = fn(blockRuntime, element, initArgs(element)) || {};
      element.xblock.element = element;
    } catch (error) {
      console.error("XBlock " + name + " failed to start", error);
    }
  }

  if (window.jQuery) {
    // Blocks animate with jQuery (xblock-poll fades its thanks in): no animation when the
    // learner asked for reduced motion (jQuery.fx.off jumps straight to the end state).
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
    if (reduceMotion) {
      window.jQuery.fx.off = reduceMotion.matches;
      if (reduceMotion.addEventListener) {
        reduceMotion.addEventListener("change", function (event) { window.jQuery.fx.off = event.matches; });
      }
    }
    window.jQuery.ajaxPrefilter(function (options, original, xhr) {
      if (unsafe(options.type) && sameOrigin(options.url)) {
        xhr.setRequestHeader("X-CSRFToken", csrfToken());
      }
    });
    window.jQuery(document).ajaxError(function (event, xhr, settings) {
      if (xhr.status !== 0) { showFailure(settings.url, refusalMessage(xhr.responseText)); }
    }).ajaxSuccess(function (event, xhr, settings) { hideFailure(settings.url); });
  }

  if (window.fetch) {
    var nativeFetch = window.fetch.bind(window);
    window.fetch = function (input, init) {
      var url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
      init = Object.assign({}, init);
      var method = init.method || (input && input.method) || "GET";
      if (unsafe(method) && sameOrigin(url)) {
        var headers = new Headers(init.headers || (input && input.headers) || {});
        if (!headers.has("X-CSRFToken")) { headers.set("X-CSRFToken", csrfToken()); }
        init.headers = headers;
      }
      return nativeFetch(input, init).then(function (response) {
        if (!blockFor(url)) { return response; }
        if (response.ok) { hideFailure(url); return response; }
        response.clone().text().then(function (text) {
          showFailure(url, refusalMessage(text));
        });
        return response;
      });
    };
  }

  window.AlleleRuntime = runtime;
  var outermost = Array.prototype.filter.call(
    document.querySelectorAll(".xblock[data-runtime-class]"),
    function (element) { return !element.parentElement.closest(".xblock"); });
  outermost.forEach(initialize);
})();
