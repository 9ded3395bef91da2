/* Accord UI behaviour — small progressive enhancements, no framework.
   Every page works without this file: links and forms are real links and forms. */
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement;
  var COLLAPSE_KEY = 'accord.sidebar.collapsed';
  var phone = window.matchMedia ? window.matchMedia('(max-width: 768px)') : { matches: false };

  root.classList.add('js');
  // Restore the collapsed sidebar before first paint (this script is loaded in <head> without defer).
  try {
    if (window.localStorage.getItem(COLLAPSE_KEY) === '1') root.classList.add('nav-collapsed');
  } catch (e) { /* storage may be disabled */ }

  /* ---------- htmx: send the CSRF token with every request ---------- */
  doc.addEventListener('htmx:configRequest', function (ev) {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    if (meta && ev.detail && ev.detail.headers) ev.detail.headers['X-CSRF-Token'] = meta.getAttribute('content');
  });

  /* ---------- navigation: drawer on phones, collapse on desktop ---------- */
  function navToggles() { return doc.querySelectorAll('[data-nav-toggle]'); }

  function syncNavState() {
    var drawerOpen = phone.matches && root.classList.contains('nav-open');
    var expanded = phone.matches ? drawerOpen : !root.classList.contains('nav-collapsed');
    navToggles().forEach(function (b) { b.setAttribute('aria-expanded', expanded ? 'true' : 'false'); });
    // While the drawer is open the page behind it is out of reach for keyboard and screen readers.
    var main = doc.querySelector('.main-col');
    if (main) main.inert = drawerOpen;
  }

  function openDrawer() {
    root.classList.add('nav-open');
    syncNavState();
    var first = doc.querySelector('#sidebar .nav-link');
    if (first) first.focus();
  }

  function closeDrawer(returnFocus) {
    if (!root.classList.contains('nav-open')) return;
    root.classList.remove('nav-open');
    syncNavState();
    if (returnFocus) {
      var t = doc.querySelector('.main-col [data-nav-toggle]');
      if (t) t.focus();
    }
  }

  function toggleCollapse() {
    var collapsed = root.classList.toggle('nav-collapsed');
    try { window.localStorage.setItem(COLLAPSE_KEY, collapsed ? '1' : '0'); } catch (e) { /* ignore */ }
    syncNavState();
  }

  if (phone.addEventListener) {
    phone.addEventListener('change', function () { root.classList.remove('nav-open'); syncNavState(); });
  }

  /* ---------- dialogs ---------- */
  function openDialog(dialog) {
    if (!dialog) return false;
    if (typeof dialog.showModal !== 'function') return false;
    if (!dialog.open) dialog.showModal();
    // After a refused submit, the first field the server named; else the first field.
    var focusable = dialog.querySelector('[aria-invalid="true"]') ||
      dialog.querySelector('[autofocus], input:not([type="hidden"]), select, textarea, button');
    if (focusable) focusable.focus();
    return true;
  }

  /* ---------- toasts & alerts ---------- */
  function dismiss(el) {
    if (!el || el.classList.contains('is-leaving')) return;
    el.classList.add('is-leaving');
    window.setTimeout(function () { if (el.parentNode) el.parentNode.removeChild(el); }, 200);
  }

  function autoDismiss(toast) {
    var timer = null;
    var start = function () { timer = window.setTimeout(function () { dismiss(toast); }, 6000); };
    var stop = function () { if (timer) window.clearTimeout(timer); timer = null; };
    toast.addEventListener('mouseenter', stop);
    toast.addEventListener('focusin', stop);
    toast.addEventListener('mouseleave', start);
    toast.addEventListener('focusout', start);
    start();
  }

  /* ---------- copy to clipboard ---------- */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = doc.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      doc.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      doc.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error('copy failed')); }
    });
  }

  function copyFrom(button) {
    var spec = button.getAttribute('data-copy');
    var text = spec;
    if (spec && spec.charAt(0) === '#') {
      var src = doc.querySelector(spec);
      if (!src) return;
      text = ('value' in src && src.value !== undefined) ? src.value : src.textContent;
    }
    text = (text || '').trim();
    copyText(text).then(function () {
      var label = button.querySelector('.btn-label');
      var done = button.getAttribute('data-copied-label');
      if (label && done) {
        if (!button.hasAttribute('data-label')) button.setAttribute('data-label', label.textContent);
        label.textContent = done;
      }
      button.classList.add('is-copied');
      window.setTimeout(function () {
        button.classList.remove('is-copied');
        if (label && button.hasAttribute('data-label')) label.textContent = button.getAttribute('data-label');
      }, 2000);
    }, function () {
      // Fall back to selecting the text so the user can press Ctrl+C.
      var src = spec && spec.charAt(0) === '#' ? doc.querySelector(spec) : null;
      if (src && window.getSelection) {
        var range = doc.createRange();
        range.selectNodeContents(src);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
    });
  }

  /* ---------- role options follow the chosen party's kind (users/new) ---------- */
  function initRolePicker(form) {
    var party = form.querySelector('select[name="party_id"]');
    var role = form.querySelector('select[name="role"]');
    if (!party || !role) return;
    var update = function () {
      var opt = party.options[party.selectedIndex];
      var kind = opt ? opt.getAttribute('data-kind') : '';
      var wanted = role.value;
      var groups = role.querySelectorAll('optgroup[data-kind]');
      // Hidden, not disabled: every option with the same value means the same role, so a value chosen
      // by a script or an old selection still submits correctly.
      groups.forEach(function (g) {
        g.hidden = !!kind && g.getAttribute('data-kind') !== kind;
      });
      if (!kind) return;
      // Keep the chosen role if the visible group has it; otherwise fall back to the placeholder.
      var match = role.querySelector('optgroup[data-kind="' + kind + '"] option[value="' + (window.CSS && CSS.escape ? CSS.escape(wanted) : wanted) + '"]');
      if (match) { match.selected = true; } else if (wanted) { role.value = ''; }
    };
    party.addEventListener('change', update);
    update();
  }

  /* ---------- a choice that fills a text box: [data-fills="id"] around a select whose options carry data-fill ---------- */
  // The box takes the chosen option's text unless the user has typed their own since; the server
  // still falls back to the choice when the box is sent empty, so this is only a convenience.
  function initFill(scope) {
    var select = scope.tagName === 'SELECT' ? scope : scope.querySelector('select');
    var box = doc.getElementById(scope.getAttribute('data-fills'));
    if (!select || !box) return;
    var fillOf = function () {
      var o = select.options[select.selectedIndex];
      return (o && o.getAttribute('data-fill')) || '';
    };
    var last = fillOf();
    if (!box.value.trim()) box.value = last;
    select.addEventListener('change', function () {
      if (!box.value.trim() || box.value === last) box.value = fillOf();
      last = fillOf();
    });
  }

  /* ---------- wide tables: tell CSS which way the box can still scroll ---------- */
  function syncTableScroll(wrap) {
    var max = wrap.scrollWidth - wrap.clientWidth;
    wrap.classList.toggle('is-scrolled-left', max > 1 && wrap.scrollLeft > 1);
    wrap.classList.toggle('is-more-right', max > 1 && wrap.scrollLeft < max - 1);
  }
  function syncAllTables() { doc.querySelectorAll('.table-wrap').forEach(syncTableScroll); }
  // scroll does not bubble; one capturing listener covers tables swapped in by htmx too
  doc.addEventListener('scroll', function (ev) {
    var t = ev.target;
    if (t instanceof Element && t.classList.contains('table-wrap')) syncTableScroll(t);
  }, { capture: true, passive: true });
  window.addEventListener('load', function () { syncAllTables(); });
  var resizeFrame = 0;
  window.addEventListener('resize', function () {
    if (resizeFrame) return;
    resizeFrame = window.requestAnimationFrame(function () { resizeFrame = 0; syncAllTables(); });
  });

  /* ---------- dropdowns (<details class="dropdown">) ---------- */
  function closeDropdowns(except) {
    doc.querySelectorAll('details.dropdown[open]').forEach(function (d) {
      if (d !== except) d.removeAttribute('open');
    });
  }

  /* ---------- event wiring ---------- */
  doc.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) return;

    var openDropdown = t.closest('details.dropdown');
    closeDropdowns(openDropdown);

    var toggle = t.closest('[data-nav-toggle]');
    if (toggle) {
      ev.preventDefault();
      if (phone.matches) {
        if (root.classList.contains('nav-open')) { closeDrawer(false); } else { openDrawer(); }
      } else {
        toggleCollapse();
      }
      return;
    }
    if (t.closest('[data-drawer-close]')) {
      ev.preventDefault();
      closeDrawer(true);
      return;
    }
    if (phone.matches && root.classList.contains('nav-open') && t.closest('#sidebar a[href]')) {
      root.classList.remove('nav-open'); // navigating away
      syncNavState();
    }

    var opener = t.closest('[data-dialog]');
    if (opener) {
      if (openDialog(doc.getElementById(opener.getAttribute('data-dialog')))) ev.preventDefault();
      return;
    }
    // A plain link to a dialog (an empty state's "add" button) opens it too.
    var link = t.closest('a[href^="#"]');
    if (link && link.getAttribute('href').length > 1) {
      var target = doc.getElementById(link.getAttribute('href').slice(1));
      if (target && target.tagName === 'DIALOG' && openDialog(target)) { ev.preventDefault(); return; }
    }
    var closer = t.closest('[data-dialog-close]');
    if (closer) {
      var dlg = closer.closest('dialog');
      if (dlg) { ev.preventDefault(); dlg.close(); }
      return;
    }
    // click on the backdrop of a modal dialog closes it
    if (t.tagName === 'DIALOG' && t.open) {
      var r = t.getBoundingClientRect();
      if (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom) t.close();
      return;
    }

    var dismisser = t.closest('[data-dismiss]');
    if (dismisser) {
      dismiss(dismisser.closest('.toast, .alert'));
      return;
    }

    var copier = t.closest('[data-copy]');
    if (copier) {
      ev.preventDefault();
      copyFrom(copier);
    }
  });

  doc.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Escape') return;
    // native <dialog> handles its own Esc
    var open = doc.querySelector('details.dropdown[open]');
    if (open) {
      open.removeAttribute('open');
      var s = open.querySelector('summary');
      if (s) s.focus();
      return;
    }
    if (root.classList.contains('nav-open')) closeDrawer(true);
  });

  // Print buttons: <button data-print> (signature pages, certificates).
  doc.addEventListener('click', function (ev) {
    var t = ev.target instanceof Element ? ev.target.closest('[data-print]') : null;
    if (t) window.print();
  });

  // Confirm destructive actions: <form data-confirm="…"> or <button data-confirm="…">.
  // Capture phase, so it runs before htmx or any other submit handler.
  doc.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = ev.submitter || null;
    var message = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      return;
    }
    // Guard against double submission of ordinary POST forms (htmx forms manage their own requests).
    if ((form.getAttribute('method') || '').toLowerCase() === 'post' && !form.hasAttribute('hx-post')) {
      if (form.getAttribute('data-submitting') === '1') {
        ev.preventDefault();
        return;
      }
      form.setAttribute('data-submitting', '1');
      window.setTimeout(function () { form.removeAttribute('data-submitting'); }, 4000);
    }
  }, true);

  // Coming back through the history cache: forms must be submittable again.
  window.addEventListener('pageshow', function () {
    doc.querySelectorAll('form[data-submitting]').forEach(function (f) { f.removeAttribute('data-submitting'); });
    root.classList.remove('nav-open');
    syncNavState();
  });

  /* ---------- a multiple select becomes a searchable list of checkboxes ---------- */
  // The select stays in the form, hidden, and carries the values; without JavaScript it is the
  // native list. Typing in the search box narrows the list; Space ticks a box.
  function initChecklist(select) {
    if (select.hasAttribute('data-enhanced')) return;
    select.setAttribute('data-enhanced', '');
    var box = doc.createElement('div');
    box.className = 'checklist-box';
    var search = doc.createElement('input');
    search.type = 'search';
    search.className = 'input checklist-search';
    search.id = select.id + '-search';
    search.placeholder = select.getAttribute('data-search') || '';
    search.setAttribute('autocomplete', 'off');
    var described = select.getAttribute('aria-describedby');
    if (described) search.setAttribute('aria-describedby', described);
    if (select.getAttribute('aria-invalid')) search.setAttribute('aria-invalid', 'true');
    var label = select.id ? doc.querySelector('label[for="' + select.id + '"]') : null;
    if (label) label.setAttribute('for', search.id);
    var list = doc.createElement('div');
    list.className = 'checklist-options';
    list.setAttribute('role', 'group');
    if (label) list.setAttribute('aria-label', label.textContent.trim());
    var chosen = doc.createElement('p');
    chosen.className = 'field-help checklist-count';
    chosen.setAttribute('aria-live', 'polite');
    var count = function () {
      var n = Array.prototype.filter.call(select.options, function (o) { return o.selected; }).length;
      chosen.textContent = (select.getAttribute('data-chosen') || '%n').replace('%n', String(n));
    };
    Array.prototype.forEach.call(select.options, function (o) {
      if (!o.value) return;
      var row = doc.createElement('label');
      row.className = 'checklist-option';
      var cb = doc.createElement('input');
      cb.type = 'checkbox';
      cb.value = o.value;
      cb.checked = o.selected;
      cb.disabled = o.disabled;
      cb.addEventListener('change', function () {
        o.selected = cb.checked;
        count();
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
      row.appendChild(cb);
      var text = doc.createElement('span');
      text.textContent = o.textContent;
      row.appendChild(text);
      list.appendChild(row);
    });
    search.addEventListener('input', function () {
      var q = search.value.trim().toLowerCase();
      list.querySelectorAll('.checklist-option').forEach(function (row) {
        row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
    // Enter in the search box must not send the form.
    search.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') ev.preventDefault(); });
    box.appendChild(search);
    box.appendChild(list);
    box.appendChild(chosen);
    count();
    select.hidden = true;
    select.parentNode.insertBefore(box, select.nextSibling);
  }

  /* ---------- date fields read in the page's language ---------- */
  // A browser draws <input type="date"> in its own language (mm/dd/yyyy in an English browser)
  // whatever the page's. Where the two differ, the field becomes a text field holding the date
  // as both languages write it and the server takes it (2026-12-07), with a button that opens
  // the browser's calendar.
  var CALENDAR_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
    '<rect x="3.5" y="5" width="17" height="15" rx="2"/><path d="M3.5 10h17M8 3v4M16 3v4"/></svg>';
  function initDate(input) {
    if (input.hasAttribute('data-enhanced')) return;
    var pageLang = (root.getAttribute('lang') || '').slice(0, 2).toLowerCase();
    var browserLang = (navigator.language || '').slice(0, 2).toLowerCase();
    if (!pageLang || pageLang === browserLang) return;
    input.setAttribute('data-enhanced', '');
    var picker = doc.createElement('input');
    picker.type = 'date';
    picker.tabIndex = -1;
    picker.className = 'date-proxy';
    picker.setAttribute('data-enhanced', '');
    picker.setAttribute('aria-hidden', 'true');
    if (input.min) picker.min = input.min;
    if (input.max) picker.max = input.max;
    // A date the server refused (2027-02-30) is no value to a date field: the browser dropped it.
    // As text, it shows what was typed again, next to the server's message.
    var typed = input.getAttribute('value');
    input.type = 'text';
    if (typed !== null && input.value === '') input.value = typed;
    input.setAttribute('inputmode', 'numeric');
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('maxlength', '10');
    if (!input.placeholder) input.placeholder = root.getAttribute('data-date-hint') || 'YYYY-MM-DD';
    var button = doc.createElement('button');
    button.type = 'button';
    button.className = 'icon-btn date-button';
    button.setAttribute('aria-label', root.getAttribute('data-date-pick') || 'Calendar');
    button.innerHTML = CALENDAR_ICON;
    button.addEventListener('click', function () {
      picker.value = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? input.value : '';
      if (typeof picker.showPicker === 'function') picker.showPicker();
    });
    picker.addEventListener('change', function () {
      input.value = picker.value;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      input.focus();
    });
    var wrap = doc.createElement('span');
    wrap.className = 'date-field';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(picker);
  }


  /* ---------- the Gantt chart: bars a manager can drag ---------- */
  // Progressive enhancement: the server-drawn SVG stays the truth. A drag (or a key on a focused
  // bar) sends the same JSON API call the forms make, with the same rules and permissions; the
  // page then reloads to show the plan as it re-scheduled itself. Double-click (or Enter) opens
  // the task in the schedule form below the chart.
  function dayOf(s) { var p = s.split('-'); return Date.UTC(+p[0], +p[1] - 1, +p[2]); }
  function shiftDate(s, n) { return new Date(dayOf(s) + n * 86400000).toISOString().slice(0, 10); }

  function ganttSend(box, method, url, body) {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    box.setAttribute('aria-busy', 'true');
    return fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': meta ? meta.content : '' },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (res.ok) { window.location.reload(); return; }
      return res.json().catch(function () { return {}; }).then(function (p) {
        var msg = (p.errors && p.errors.length) ? p.errors.map(function (e) { return e.message; }).join(' ') : (p.detail || p.title || res.status);
        var old = box.parentNode.querySelector('[data-gantt-error]');
        if (old) old.remove();
        var alert = doc.createElement('div');
        alert.className = 'alert alert-error';
        alert.setAttribute('role', 'alert');
        alert.setAttribute('data-gantt-error', '');
        alert.textContent = (box.getAttribute('data-drag-failed') || '') + ' ' + msg;
        box.parentNode.insertBefore(alert, box);
        box.removeAttribute('aria-busy');
        ganttReset(box);
      });
    });
  }

  function ganttReset(box) {
    box.querySelectorAll('g.task').forEach(function (g) {
      g.removeAttribute('transform');
      var bar = g.querySelector('rect.bar');
      if (bar && bar.hasAttribute('data-w')) bar.setAttribute('width', bar.getAttribute('data-w'));
    });
  }

  function initGantt(box) {
    if (box.hasAttribute('data-gantt-ready')) return;
    box.setAttribute('data-gantt-ready', '');
    var svg = box.querySelector('svg.gantt-svg');
    if (!svg) return;
    var eng = box.getAttribute('data-gantt-edit');
    var px = parseFloat(svg.getAttribute('data-px')) || 9;
    var taskUrl = function (id) { return '/api/v1/engagements/' + eng + '/tasks/' + id; };
    var open = function (g) { window.location.href = '/engagements/' + eng + '/gantt?edit=' + g.getAttribute('data-task') + '#task-plan'; };
    var move = function (g, days, resize) {
      var start = g.getAttribute('data-start'), finish = g.getAttribute('data-finish');
      // A moved bar keeps its length in working days; a stretched one keeps its start.
      var body = resize ? { finish_date: shiftDate(finish, days) } : { start_date: shiftDate(start, days), keep_duration: true };
      if (resize && body.finish_date < start) return;
      ganttSend(box, 'PATCH', taskUrl(g.getAttribute('data-task')), body);
    };
    var scale = function () { var r = svg.getBoundingClientRect(); return r.width / (parseFloat(svg.getAttribute('width')) || r.width); };
    svg.querySelectorAll('g.task').forEach(function (g) {
      var bar = g.querySelector('rect.bar');
      if (!bar) return;
      bar.setAttribute('data-w', bar.getAttribute('width'));
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-label', g.getAttribute('data-name') + ' · ' + g.getAttribute('data-start') + ' → ' + g.getAttribute('data-finish'));
      g.classList.add('is-draggable');
      g.addEventListener('dblclick', function () { open(g); });
      g.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter') { ev.preventDefault(); open(g); return; }
        if (ev.key !== 'ArrowLeft' && ev.key !== 'ArrowRight') return;
        ev.preventDefault();
        // By working days: the server knows the calendar.
        var step = ev.key === 'ArrowRight' ? 1 : -1;
        ganttSend(box, 'PATCH', taskUrl(g.getAttribute('data-task')), ev.shiftKey ? { stretch_by: step } : { move_by: step });
      });
      bar.addEventListener('pointerdown', function (ev) {
        if (ev.button !== 0) return;
        ev.preventDefault();
        var k = scale();
        var rect = bar.getBoundingClientRect();
        var resize = ev.clientX > rect.right - 6;
        var x0 = ev.clientX, y0 = ev.clientY, w0 = parseFloat(bar.getAttribute('data-w'));
        var moved = false;
        bar.setPointerCapture(ev.pointerId);
        var onMove = function (e) {
          var dx = (e.clientX - x0) / k, dy = (e.clientY - y0) / k;
          if (Math.abs(dx) > 3 || Math.abs(dy) > 3) moved = true;
          if (resize) bar.setAttribute('width', Math.max(px, w0 + dx));
          else g.setAttribute('transform', 'translate(' + dx + ',' + dy + ')');
        };
        var onUp = function (e) {
          bar.removeEventListener('pointermove', onMove);
          bar.removeEventListener('pointerup', onUp);
          bar.removeEventListener('pointercancel', onUp);
          if (!moved || e.type === 'pointercancel') { ganttReset(box); return; }
          var dx = (e.clientX - x0) / k, dy = (e.clientY - y0) / k;
          var rowH = parseFloat(svg.getAttribute('data-row-h')) || 28;
          if (!resize && Math.abs(dy) > rowH * 0.6) {
            // Dropped on another bar: link them, this one first.
            g.style.pointerEvents = 'none';
            var under = doc.elementFromPoint(e.clientX, e.clientY);
            g.style.pointerEvents = '';
            var target = under && under.closest ? under.closest('g.task') : null;
            if (target && target !== g) {
              ganttSend(box, 'POST', '/api/v1/engagements/' + eng + '/dependencies',
                { predecessor_id: g.getAttribute('data-task'), successor_id: target.getAttribute('data-task') });
            } else {
              ganttReset(box);
            }
            return;
          }
          var days = Math.round(dx / px);
          if (days === 0) { ganttReset(box); return; }
          move(g, days, resize);
        };
        bar.addEventListener('pointermove', onMove);
        bar.addEventListener('pointerup', onUp);
        bar.addEventListener('pointercancel', onUp);
      });
    });
  }

  // The schedule form follows the task chosen in it.
  doc.addEventListener('change', function (ev) {
    var sel = ev.target;
    if (!(sel instanceof HTMLSelectElement) || !sel.form || !sel.form.hasAttribute('data-task-plan') || sel.name !== 'task_id') return;
    var o = sel.options[sel.selectedIndex];
    if (!o || !o.value) return;
    sel.form.elements.start_date.value = o.getAttribute('data-start');
    sel.form.elements.finish_date.value = o.getAttribute('data-finish');
    sel.form.elements.scheduling.value = o.getAttribute('data-scheduling');
  });

  function init(scope) {
    scope.querySelectorAll('.toast[data-autodismiss]').forEach(function (t) {
      if (t.hasAttribute('data-armed')) return;
      t.setAttribute('data-armed', '');
      autoDismiss(t);
    });
    scope.querySelectorAll('form[data-role-picker]').forEach(initRolePicker);
    scope.querySelectorAll('[data-fills]').forEach(initFill);
    scope.querySelectorAll('select[multiple][data-checklist]').forEach(initChecklist);
    scope.querySelectorAll('input[type="date"]').forEach(initDate);
    scope.querySelectorAll('[data-gantt-edit]').forEach(initGantt);
    syncAllTables();
    // A chart opens at today (the server says how far in that is).
    scope.querySelectorAll('[data-scroll-left]').forEach(function (box) {
      if (box.hasAttribute('data-scrolled')) return;
      box.setAttribute('data-scrolled', '');
      box.scrollLeft = parseFloat(box.getAttribute('data-scroll-left')) || 0;
    });
    // A dialog rendered open by the server (e.g. after a validation error) becomes modal.
    scope.querySelectorAll('dialog[data-modal][open]').forEach(function (d) {
      d.close();
      openDialog(d);
    });
  }

  /* ---------- a select marked data-autosubmit sends its form when it changes ---------- */
  // Delegated, so selects swapped in by htmx work too (the CSP forbids inline handlers).
  doc.addEventListener('change', function (ev) {
    var t = ev.target;
    if (t instanceof HTMLSelectElement && t.hasAttribute('data-autosubmit') && t.form) t.form.submit();
  });

  doc.addEventListener('DOMContentLoaded', function () {
    syncNavState();
    init(doc);
  });
  // A form in a dialog whose post is refused other than by validation (403, 409, 404): the
  // server's message goes at the top of the dialog.
  doc.addEventListener('htmx:responseError', function (ev) {
    var elt = ev.detail && ev.detail.elt;
    var body = elt && elt.closest && elt.closest('dialog') && elt.closest('dialog').querySelector('.dialog-body');
    if (!body) return;
    var old = body.querySelector('[data-answer]');
    if (old) old.remove();
    var box = doc.createElement('div');
    box.setAttribute('data-answer', '');
    box.innerHTML = ev.detail.xhr.responseText;
    body.insertBefore(box, body.firstChild);
  });
  doc.addEventListener('htmx:load', function (ev) {
    if (ev.target && ev.target.querySelectorAll) init(ev.target);
  });
})();
