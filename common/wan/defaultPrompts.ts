/**
 * Wan's own default prompts (research/wan22.md §0.5). The official generate.py never passes a
 * negative prompt, so these are what every official render uses; a local render uses them too when
 * the user leaves the field empty (the cloud apps apply their own).
 */

/** wan/configs/wan_s2v_14B.py sample_neg_prompt. */
export const WAN_S2V_NEGATIVE_PROMPT =
  '画面模糊，最差质量，画面模糊，细节模糊不清，情绪激动剧烈，手快速抖动，字幕，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走';

/** wan/configs/shared_config.py sample_neg_prompt (Animate uses it). */
export const WAN_SHARED_NEGATIVE_PROMPT =
  '色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走';

/** wan/configs/wan_animate_14B.py: "the person in the video is doing actions". */
export const WAN_ANIMATE_DEFAULT_PROMPT = '视频中的人在做动作';
