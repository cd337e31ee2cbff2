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

/**
 * Where a form shows the department select: drawn again (by `update`) only when the site's departments or
 * the choice changed, so what the visitor typed elsewhere in the form stays.
 * @param {(id: number) => void} choose
 */
export function departmentSlot(choose) {
  const slot = document.createElement('div');
  slot.className = 'department-slot';
  let drawn = '';
  return {
    slot,
    /** @param {import('../state/model.js').MessengerModel} model */
    update(model) {
      const sig = JSON.stringify([model.departments, model.departmentId]);
      if (sig === drawn) return;
      drawn = sig;
      const field = departmentField(model, choose);
      slot.hidden = !field;
      slot.replaceChildren(...(field ? [field] : []));
    },
  };
}

/**
 * The department to ask, when the site has more than one: a select naming the ones nobody can answer now
 * as offline; picking one calls `choose`. Null when there is nothing to choose.
 * @param {import('../state/model.js').MessengerModel} model @param {(id: number) => void} choose
 */
function departmentField(model, choose) {
  if (model.departments.length < 2) return null;
  const wrap = document.createElement('div');
  wrap.className = 'field';
  const id = `f-department-${Math.random().toString(36).slice(2, 7)}`;
  const lab = document.createElement('label');
  lab.htmlFor = id;
  lab.textContent = 'Department';
  const select = document.createElement('select');
  select.id = id;
  for (const d of model.departments) {
    const option = document.createElement('option');
    option.value = String(d.id);
    option.textContent = d.available ? d.title : `${d.title} (offline)`;
    option.selected = d.id === model.departmentId;
    select.append(option);
  }
  select.addEventListener('change', () => choose(Number(select.value)));
  wrap.append(lab, select);
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
