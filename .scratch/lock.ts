import { startE2E } from '../test/e2e/helpers';
import { api } from '../test/helpers/server';

const e2e = await startE2E();
try {
  const fran = (await e2e.newPerson({ name: 'Fran' })).page;
  const cy = (await e2e.newPerson({ name: 'Cy' })).page;
  cy.on('console', (m) => console.log('[cy]', m.text()));
  await fran.goto('/');
  await fran.getByTestId('new-board-title').fill('Lock test');
  await fran.getByTestId('create-board').click();
  await fran.getByTestId('share-menu').waitFor();
  await fran.getByTestId('share-menu').click();
  await fran.waitForFunction(() => (document.querySelector('[data-testid="share-url-edit"]') as HTMLInputElement)?.value.includes('/join/'));
  const edit = await fran.getByTestId('share-url-edit').inputValue();
  await fran.keyboard.press('Escape');
  await cy.goto(edit);
  await cy.locator('.palette').waitFor();
  await fran.getByTestId('share-menu').click();
  await fran.getByTestId('toggle-lock').click();
  await cy.getByTestId('access-badge').waitFor();
  console.log('badge', await cy.getByTestId('access-badge').textContent());
  await cy.keyboard.press('s');
  await fran.getByTestId('add-step').click();
  await fran.getByTestId('inline-editor').fill('Pay');
  await fran.getByTestId('inline-editor').press('Enter');
  await new Promise((r) => setTimeout(r, 500));
  await fran.getByTestId('share-menu').click();
  await fran.getByTestId('toggle-lock').click();
  await cy.getByTestId('access-badge').waitFor({ state: 'detached' });
  await cy.locator('.palette').waitFor();
  await cy.getByTestId('add-step').click();
  await new Promise((r) => setTimeout(r, 1000));
  console.log('toasts', await cy.locator('.toast, [data-testid="toast"]').allTextContents());
  console.log('editor', await cy.getByTestId('inline-editor').count());
  await cy.screenshot({ path: '/tmp/shots12c/debug.png' });
} finally {
  await e2e.close();
}
