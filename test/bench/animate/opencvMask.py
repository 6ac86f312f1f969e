# The official mask augmentation with OpenCV + numpy (Debian python3-opencv), on the same mask the
# TypeScript bench uses: cv2.dilate with a k x k ones kernel, `iterations` times, then every touched
# cell of the w_len x h_len bounding-box grid filled (get_aug_mask). Prints JSON: best time in ms
# and where the result was written, for the bench to compare pixel for pixel.
import json, sys, time
import cv2
import numpy as np

src, width, height, k, iterations, w_len, h_len, out, runs = sys.argv[1:10]
width, height, k, iterations, w_len, h_len, runs = map(int, (width, height, k, iterations, w_len, h_len, runs))
mask = np.fromfile(src, dtype=np.uint8).reshape(height, width)

def aug(body_mask):
    ys, xs = np.nonzero(body_mask)
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    w_slice = max(1, int((x1 - x0) / w_len))
    h_slice = max(1, int((y1 - y0) / h_len))
    for each_w in range(x0, x1, w_slice):
        w_end = min(each_w + w_slice, x1)
        for each_h in range(y0, y1, h_slice):
            h_end = min(each_h + h_slice, y1)
            if body_mask[each_h:h_end, each_w:w_end].sum() > 0:
                body_mask[each_h:h_end, each_w:w_end] = 1
    return body_mask

best = float('inf')
result = None
for _ in range(runs):
    t = time.perf_counter()
    d = cv2.dilate(mask, np.ones((k, k), np.uint8), iterations=iterations)
    result = aug(d)
    best = min(best, (time.perf_counter() - t) * 1000)
result.astype(np.uint8).tofile(out)
print(json.dumps({"ms": best, "out": out}))
