/* Профнавигатор: small enhancements over pages that work without JavaScript.

   1. The menu on a phone. Without JavaScript the menu is simply shown (html has no data-js attribute); with it, below
      48rem the menu folds behind the «Меню» button, which says whether it is open (aria-expanded). Escape
      closes it and returns to the button.
   2. Tables wider than their frame. A frame that really scrolls sideways becomes a keyboard stop (tabindex 0)
      and a named region, so that keyboard users can scroll it and screen readers say what it is; it also
      gets the classes that draw a shadow on the side where more of the table is hidden. Frames that fit get
      none of this: no empty tab stops on a desktop. A frame the template already made focusable keeps its
      own role and name. Checked again when the frame or its table changes size and after htmx swaps.
   3. What the Content-Security-Policy keeps out of the markup (no inline handlers, no style attributes):
      - the role switch sends its form when another role is chosen (select[data-submit-on-change]);
      - a region marked data-busy-while-loading marks the part htmx is replacing aria-busy until the answer comes;
      - a chart (core/charts.py) gets its drawings' proportions and widest sizes, which it carries in
        data-chart-style, as custom properties set through the CSSOM, which the policy allows. Without
        JavaScript a chart keeps its wide drawing's proportions, from its width and height.
   4. The host's QR scanner (events: [data-qr-scanner]). Only where the browser gives a page the camera and reads
      QR codes itself (a secure context — HTTPS — with BarcodeDetector): the scanner is shown, reads the student's
      code into the check-in field and sends the form. Elsewhere the note about HTTPS stays, and the short code
      is typed. */
(function () {
  "use strict";

  function setUpMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("site-nav--open", open);
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      var folded = getComputedStyle(toggle).display !== "none";
      if (event.key === "Escape" && folded && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  function textOf(ids) {
    return ids.split(/\s+/).map(function (id) {
      var element = document.getElementById(id);
      return element ? element.textContent.trim() : "";
    }).filter(Boolean).join(" ");
  }

  // The table's own name (caption, aria-labelledby, aria-label), else the heading just before the frame.
  function tableName(frame) {
    var table = frame.querySelector("table");
    if (table) {
      if (table.caption && table.caption.textContent.trim()) return table.caption.textContent.trim();
      if (table.getAttribute("aria-labelledby")) {
        var labelled = textOf(table.getAttribute("aria-labelledby"));
        if (labelled) return labelled;
      }
      if (table.getAttribute("aria-label")) return table.getAttribute("aria-label");
    }
    for (var node = frame; node && node !== document.body; node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        var heading = /^H[1-6]$/.test(before.tagName) ? before : before.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
      }
    }
    return "Таблица";
  }

  function fitFrame(frame) {
    var scrolls = frame.scrollWidth > frame.clientWidth + 1;
    var managed = frame.hasAttribute("data-scroll-region");
    frame.classList.toggle("is-scrollable", scrolls);
    frame.classList.toggle("scroll-more-left", scrolls && frame.scrollLeft > 1);
    frame.classList.toggle("scroll-more-right", scrolls && frame.scrollLeft + frame.clientWidth < frame.scrollWidth - 1);
    if (!managed && frame.hasAttribute("tabindex")) return; // the template made it a region itself
    if (scrolls && !managed) {
      frame.setAttribute("data-scroll-region", "");
      frame.tabIndex = 0;
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", tableName(frame) + " (таблица прокручивается вбок)");
    } else if (!scrolls && managed) {
      frame.removeAttribute("data-scroll-region");
      frame.removeAttribute("tabindex");
      frame.removeAttribute("role");
      frame.removeAttribute("aria-label");
    }
  }

  var resized = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var frame = entry.target.closest(".table-wrap");
      if (frame) fitFrame(frame);
    });
  }) : null;

  function setUpFrames(root) {
    root.querySelectorAll(".table-wrap").forEach(function (frame) {
      if (frame.hasAttribute("data-scroll-watched")) return fitFrame(frame);
      frame.setAttribute("data-scroll-watched", "");
      frame.addEventListener("scroll", function () { fitFrame(frame); }, { passive: true });
      if (resized) {
        resized.observe(frame);
        var table = frame.querySelector("table");
        if (table) resized.observe(table);
      }
      fitFrame(frame);
    });
  }

  function submitOnChange(event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-submit-on-change]") && select.form) select.form.requestSubmit();
  }

  function markBusy(busy) {
    return function (event) {
      var region = event.target.closest && event.target.closest("[data-busy-while-loading]");
      var target = event.detail && event.detail.target;
      if (!region || !target) return;
      if (busy) target.setAttribute("aria-busy", "true");
      else target.removeAttribute("aria-busy");
    };
  }

  function sizeCharts() {
    document.querySelectorAll("svg[data-chart-style]").forEach(function (svg) {
      svg.getAttribute("data-chart-style").split(";").forEach(function (declaration) {
        var colon = declaration.indexOf(":");
        var name = declaration.slice(0, colon).trim();
        if (colon > 0 && name.indexOf("--chart-") === 0) svg.style.setProperty(name, declaration.slice(colon + 1).trim());
      });
    });
  }

  document.addEventListener("change", submitOnChange);
  document.addEventListener("htmx:beforeRequest", markBusy(true));
  document.addEventListener("htmx:afterRequest", markBusy(false));
  // Right after htmx puts new content in, in the same task (before it is painted or settled): swapped charts are
  // sized at once.
  document.addEventListener("htmx:afterSwap", sizeCharts);

  function setUpQrScanner() {
    var scanner = document.querySelector("[data-qr-scanner]");
    if (!scanner || !window.isSecureContext || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    var input = document.getElementById(scanner.getAttribute("data-target"));
    var video = scanner.querySelector("[data-qr-video]");
    var status = scanner.querySelector("[data-qr-status]");
    var note = document.querySelector("[data-qr-https-note]");
    if (!input || !video || !status) return;
    if (note) note.hidden = true;
    scanner.hidden = false;
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    scanner.querySelector("[data-qr-start]").addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        status.textContent = "Наведите камеру на QR-код обучающегося.";
        function look() {
          detector.detect(video).then(function (codes) {
            if (!codes.length) return window.requestAnimationFrame(look);
            stream.getTracks().forEach(function (track) { track.stop(); });
            video.hidden = true;
            input.value = codes[0].rawValue;
            status.textContent = "Код прочитан: отмечаю.";
            if (input.form.requestSubmit) input.form.requestSubmit(); else input.form.submit();
          }).catch(function () { window.requestAnimationFrame(look); });
        }
        look();
      }).catch(function () {
        status.textContent = "Камера недоступна: введите короткий код.";
      });
    });
  }

  function start() {
    setUpQrScanner();
    sizeCharts();
    setUpMenu();
    setUpFrames(document);
    if (!resized) window.addEventListener("resize", function () { setUpFrames(document); });
    document.addEventListener("htmx:afterSettle", function () { setUpFrames(document); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
