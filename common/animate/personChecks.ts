import { primaryPersonIndex } from './detection';
import { BODY, type Keypoint, type PersonBox } from './pose';

/**
 * What is wrong with a frame for Animate, as data: a kind for code and a sentence for people.
 * 'no_person' stops a replacement render; the others are warnings shown on the preview.
 */
export type PersonIssueKind = 'no_person' | 'several_people' | 'tiny_person' | 'leaving_frame' | 'no_body';
export interface PersonIssue {
  kind: PersonIssueKind;
  message: string;
}

const SEEN = 0.3;
/**
 * Under a fifth of the frame's height a person's bones are a few pixels long in Wan's pose picture
 * and the face crop is blown up from a patch of some 20 pixels (vtest.avi's pedestrians, ~80 of 576).
 */
const TINY_FRACTION = 0.2;

/** What the checks look at: boxes and body points (so the page can run them on its own copy). */
interface CheckedPerson {
  box: PersonBox;
  body: readonly Keypoint[];
}

export function personIssues(detection: { width: number; height: number; people: readonly CheckedPerson[] }, used: number, where: string): PersonIssue[] {
  const { people, width, height } = detection;
  if (people.length === 0 || used < 0 || used >= people.length) {
    return [{ kind: 'no_person', message: `No person found in ${where}. Animate needs one person in full view: choose another moment or another video.` }];
  }
  const issues: PersonIssue[] = [];
  const person = people[used]!;
  if (people.length > 1) {
    const auto = primaryPersonIndex(people);
    issues.push({ kind: 'several_people', message: `${people.length} people in ${where}; ${used === auto ? 'the largest' : 'the one you picked'} (person ${used + 1}) is used. Pick another if that is not the one.` });
  }
  const b = person.box;
  const tall = b.y2 - b.y1;
  if (tall < TINY_FRACTION * height) issues.push({ kind: 'tiny_person', message: `The person in ${where} is only ${Math.round(tall)} px tall (of ${height}): the pose and mask will be rough. Use a closer shot.` });
  const edges = [b.x1 <= 1 && 'left', b.x2 >= width - 1 && 'right', b.y1 <= 1 && 'top', b.y2 >= height - 1 && 'bottom'].filter((e): e is string => typeof e === 'string');
  if (edges.length > 0 && !noBody(person)) issues.push({ kind: 'leaving_frame', message: `The person in ${where} is cut off at the ${edges.join(' and ')} edge: the parts outside the frame get no pose or mask.` });
  if (noBody(person)) issues.push({ kind: 'no_body', message: `Only a head and shoulders are visible in ${where}: Animate follows a body, so choose a shot that shows at least the hips.` });
  return issues;
}

function noBody(person: CheckedPerson): boolean {
  return [BODY.RHip, BODY.LHip, BODY.RKnee, BODY.LKnee].every((i) => (person.body[i]?.score ?? 0) < SEEN);
}
