import { expectTypeOf, test } from 'vitest';
import type { StudioApi } from '../../../main/core/contract/api';
import type { Channel, OutputOf, ParsedInputOf } from '../../../main/core/contract/index';
import type { createHandlers } from '../../../main/core/handlers/index';
import type { libraryHandlers } from '../../../main/core/handlers/libraryHandlers';
import type { mediaHandlers } from '../../../main/core/handlers/mediaHandlers';
import type { settingsHandlers } from '../../../main/core/handlers/settingsHandlers';
import type { renderHandlers } from '../../../main/core/handlers/renderHandlers';
import type { cloudHandlers } from '../../../main/core/handlers/cloudHandlers';
import type { enginesHandlers } from '../../../main/core/handlers/enginesHandlers';
import type { queueHandlers } from '../../../main/core/handlers/queueHandlers';
import type { animateHandlers } from '../../../main/core/handlers/animateHandlers';
import type { presetsHandlers } from '../../../main/core/handlers/presetsHandlers';

type All = ReturnType<typeof createHandlers>;
type Library = keyof ReturnType<typeof libraryHandlers>;
type Media = keyof ReturnType<typeof mediaHandlers>;
type Settings = keyof ReturnType<typeof settingsHandlers>;
type Render = keyof ReturnType<typeof renderHandlers>;
type Cloud = keyof ReturnType<typeof cloudHandlers>;
type Engines = keyof ReturnType<typeof enginesHandlers>;
type Queue = keyof ReturnType<typeof queueHandlers>;
type Animate = keyof ReturnType<typeof animateHandlers>;
type Presets = keyof ReturnType<typeof presetsHandlers>;

test('every channel has exactly one handler', () => {
  // Complete: the registered handlers cover every channel and nothing else.
  expectTypeOf<keyof All>().toEqualTypeOf<Channel>();
  expectTypeOf<Library | Media | Settings | Render | Cloud | Engines | Queue | Animate | Presets>().toEqualTypeOf<Channel>();
  // Exactly one: no channel is handled by two domain files.
  expectTypeOf<Library & Media>().toBeNever();
  expectTypeOf<Library & Settings>().toBeNever();
  expectTypeOf<Media & Settings>().toBeNever();
  expectTypeOf<(Library | Media | Settings) & (Render | Cloud)>().toBeNever();
  expectTypeOf<Render & Cloud>().toBeNever();
  expectTypeOf<(Library | Media | Settings | Render | Cloud) & Engines>().toBeNever();
  expectTypeOf<(Library | Media | Settings | Render | Cloud | Engines) & Queue>().toBeNever();
  expectTypeOf<(Library | Media | Settings | Render | Cloud | Engines | Queue) & Animate>().toBeNever();
  expectTypeOf<(Library | Media | Settings | Render | Cloud | Engines | Queue | Animate) & Presets>().toBeNever();
});

test('handlers take the parsed input and return the declared output', () => {
  expectTypeOf<Parameters<All['library.createProject']>[0]>().toEqualTypeOf<ParsedInputOf<'library.createProject'>>();
  expectTypeOf<Awaited<ReturnType<All['media.import']>>>().toEqualTypeOf<OutputOf<'media.import'>>();
  expectTypeOf<Awaited<ReturnType<All['settings.get']>>>().toEqualTypeOf<OutputOf<'settings.get'>>();
  expectTypeOf<Awaited<ReturnType<All['render.submit']>>>().toEqualTypeOf<OutputOf<'render.submit'>>();
  expectTypeOf<Parameters<All['cloud.setKey']>[0]>().toEqualTypeOf<ParsedInputOf<'cloud.setKey'>>();
});

type ApiChannels = {
  [N in keyof StudioApi]: StudioApi[N] extends Record<string, (input: never) => Promise<unknown>> ? `${N & string}.${keyof StudioApi[N] & string}` : never;
}[keyof StudioApi];

test('window.studio has one method per channel, grouped by domain', () => {
  expectTypeOf<ApiChannels>().toEqualTypeOf<Channel>();
  expectTypeOf<StudioApi['library']['createProject']>().returns.resolves.toEqualTypeOf<OutputOf<'library.createProject'>>();
  expectTypeOf<ReturnType<StudioApi['on']>>().toEqualTypeOf<() => void>();
});
