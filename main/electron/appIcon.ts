import { join } from 'node:path';

/**
 * The app's icon set under resources/icons (made by scripts/makeIcons.mjs from icon.svg and
 * committed): one PNG per size, icon.ico for Windows and icon.icns for macOS. No Electron import,
 * so the tests can check the files against this list.
 */
export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

export const iconsDir = (resourcesDir: string): string => join(resourcesDir, 'icons');

export const iconPng = (resourcesDir: string, size: (typeof APP_ICON_SIZES)[number]): string => join(iconsDir(resourcesDir), `${size}x${size}.png`);

/**
 * The window icon: Windows shows the .ico's sizes in the title bar and taskbar; Linux takes the
 * largest PNG; macOS takes its Dock icon from the app bundle and ignores this, but a PNG does no harm.
 */
export function windowIconFor(platform: NodeJS.Platform, resourcesDir: string): string {
  return platform === 'win32' ? join(iconsDir(resourcesDir), 'icon.ico') : iconPng(resourcesDir, 512);
}
