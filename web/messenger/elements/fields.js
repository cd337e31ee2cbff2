// @ts-check
/** Labelled form fields and the busy/error handling every widget form shares. */

/**
 * @param {string} name @param {string} label
 * @param {{type?: string, required?: boolean, multiline?: boolean, max?: number, autocomplete?: string}} [opts]
 */
export function field(name, label, opts = {}) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  const lab = document.createElement('label');
  lab.htmlFor = id;
  lab.textContent = opts.required ? label : `${label} (optional)`;
  const input = opts.multiline ? document.createElement('textarea') : document.createElement('input');
  input.id = id;
  input.name = name;
  if (input instanceof HTMLInputElement) input.type = opts.type ?? 'text';
  if (opts.required) input.required = true;
  if (opts.max) input.maxLength = opts.max;
  if (opts.autocomplete) input.setAttribute('autocomplete', opts.autocomplete);
  wrap.append(lab, input);
  return wrap;
}

/** @param {string} text @param {string} [cls] */
export function button(text, cls = 'primary', type = 'submit') {
  const b = document.createElement('button');
  b.type = /** @type {any} */ (type);
  b.className = cls;
  b.textContent = text;
  return b;
}

/**
 * Run a form's action with the submit button disabled; show the server's message if it fails.
 * @param {HTMLFormElement} form @param {(data: Record<string, string>) => Promise<any>} action
 */
export function handleSubmit(form, action) {
  const error = document.createElement('p');
  error.className = 'form-error';
  error.setAttribute('role', 'alert');
  form.append(error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type=submit]');
    if (submit) /** @type {HTMLButtonElement} */ (submit).disabled = true;
    error.textContent = '';
    const data = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
    try {
      await action(data);
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : 'Something went wrong. Please try again.';
    } finally {
      if (submit) /** @type {HTMLButtonElement} */ (submit).disabled = false;
    }
  });
}
