/*
 * Northwind Lamps demo site: the pricing page's monthly / yearly toggle and the contact form.
 * Classic script, loaded with defer; no inline handlers (the demo is served under a strict CSP).
 *
 * The billing toggle navigates with history.pushState (/demo/pricing <-> /demo/pricing?billing=yearly)
 * and then updates document.title, so the visitor widget sees a real history-API navigation.
 */
(function () {
  'use strict';

  var SHOP = 'Northwind Lamps';
  var PERIODS = ['monthly', 'yearly'];

  function billingFromUrl() {
    var value = new URLSearchParams(window.location.search).get('billing');
    return PERIODS.indexOf(value) === -1 ? 'monthly' : value;
  }

  function urlFor(billing) {
    var url = new URL(window.location.href);
    if (billing === 'yearly') url.searchParams.set('billing', 'yearly');
    else url.searchParams.delete('billing');
    return url.pathname + url.search + url.hash;
  }

  function initPricing() {
    var box = document.querySelector('[data-billing-toggle]');
    if (!box) return;
    var buttons = Array.prototype.slice.call(box.querySelectorAll('button[data-billing]'));
    var status = document.getElementById('billing-status');
    var current = null;

    function render(billing) {
      current = billing;
      buttons.forEach(function (button) {
        button.setAttribute('aria-pressed', String(button.getAttribute('data-billing') === billing));
      });
      // Every element carrying both variants shows the one for the chosen period.
      document.querySelectorAll('[data-monthly][data-yearly]').forEach(function (el) {
        el.textContent = el.getAttribute('data-' + billing);
      });
      if (status) {
        status.textContent = billing === 'yearly'
          ? 'Showing yearly prices: two months free.'
          : 'Showing monthly prices.';
      }
      document.title = 'Pricing (' + billing + ') — ' + SHOP;
    }

    box.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-billing]');
      if (!button) return;
      var billing = button.getAttribute('data-billing');
      if (billing === current) return;
      history.pushState({ billing: billing }, '', urlFor(billing));
      render(billing);
    });

    // Back / forward between the two billing URLs.
    window.addEventListener('popstate', function () {
      var billing = billingFromUrl();
      if (billing !== current) render(billing);
    });

    box.hidden = false;
    render(billingFromUrl());
  }

  function initContact() {
    var form = document.querySelector('form[data-contact-form]');
    var thanks = document.getElementById('contact-thanks');
    if (!form || !thanks) return;
    var nameSlot = thanks.querySelector('[data-thanks-name]');
    var again = thanks.querySelector('[data-contact-again]');

    form.addEventListener('submit', function (event) {
      // Demo only: nothing is sent anywhere.
      event.preventDefault();
      if (!form.checkValidity()) {
        form.reportValidity();
        return;
      }
      var first = form.elements.namedItem('name').value.trim().split(/\s+/)[0];
      if (nameSlot) nameSlot.textContent = first ? ', ' + first : '';
      form.hidden = true;
      thanks.hidden = false;
      thanks.focus();
    });

    if (again) {
      again.addEventListener('click', function () {
        form.reset();
        thanks.hidden = true;
        form.hidden = false;
        form.elements.namedItem('name').focus();
      });
    }
  }

  initPricing();
  initContact();
})();
