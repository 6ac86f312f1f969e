import { expect, type Page } from '@playwright/test';

/** Creates a project from the Library page of the studio at `url`, as a user does, and waits for its page. */
export async function newProject(page: Page, url: string, name: string, app?: 'Speech-to-video' | 'Animate'): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: /new project|create your first project/i }).first().click();
  await page.getByLabel('Project name').fill(name);
  if (app) await page.getByLabel('Kind of project').selectOption({ label: app });
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Imports files through the project page's file input and waits until every one says Imported. */
export async function importFiles(page: Page, files: string[]): Promise<void> {
  await page.getByTestId('import-input').setInputFiles(files);
  await expect(page.getByTestId('import-entry').filter({ hasText: 'Imported' })).toHaveCount(files.length, { timeout: 60_000 });
}
