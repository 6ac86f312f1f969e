"""Wan's FlowUniPCMultistepScheduler (wan/utils/fm_solvers_unipc.py) as the official code runs it:
solver_order 2, predict_x0, bh2, lower_order_final, final sigma 0, no thresholding, corrector on every
step but the first. Written from the official class (the general R / b system solved with numpy, rho
0.5 for the order-2 predictor and the order-1 corrector), in float64 on float32 sigmas, for the torch
reference pipelines; the studio's own UniPC (native/samplers/flowSolvers.ts) is compared with it."""
import math

import numpy as np

NUM_TRAIN_TIMESTEPS = 1000
# The constructor's sigmas: 1 - reverse(linspace(1, 1/1000, 1000)) as float32; sigma_max = sigmas[0].item().
SIGMA_MAX = float(np.float32(1.0 - 1.0 / NUM_TRAIN_TIMESTEPS))


def unipc_schedule(steps, shift):
    """(timesteps, sigmas): int64(sigma * 1000) of the float64 sigmas, then steps + 1 float32 sigmas ending in 0."""
    s = np.linspace(SIGMA_MAX, 0.0, steps + 1).copy()[:-1]
    s = shift * s / (1 + (shift - 1) * s)
    timesteps = (s * NUM_TRAIN_TIMESTEPS).astype(np.int64)
    sigmas = np.concatenate([s, [0.0]]).astype(np.float32).astype(np.float64)
    return timesteps, sigmas


def _lambda(sigma):
    """log(alpha) - log(sigma), as torch.log gives it: +inf at sigma 0."""
    alpha = 1.0 - sigma
    with np.errstate(divide="ignore"):
        return float(np.log(alpha) - np.log(sigma))


def _coefficients(h, order):
    """(h_phi_1, B_h, b) of the official loop over orders 1..order (bh2: B_h = expm1(hh)). At the final
    sigma 0, h is +inf: expm1(-inf) = -1 and x / -inf = 0 in Python floats, as in torch."""
    hh = -h
    h_phi_1 = math.expm1(hh)
    h_phi_k = h_phi_1 / hh - 1
    b_h = h_phi_1
    b, factorial = [], 1
    for i in range(1, order + 1):
        b.append(h_phi_k * factorial / b_h)
        factorial *= i + 1
        h_phi_k = h_phi_k / hh - 1 / factorial
    return h_phi_1, b_h, b


class UniPC:
    def __init__(self, sigmas):
        self.sigmas = sigmas
        self.steps = len(sigmas) - 1
        self.model_outputs = [None, None]
        self.lower_order_nums = 0
        self.this_order = 1
        self.last_sample = None
        self.index = 0

    def _predictor(self, x, order):
        i, sig = self.index, self.sigmas
        m0 = self.model_outputs[-1]
        sigma_t, sigma_s0 = sig[i + 1], sig[i]
        lam_s0 = _lambda(sigma_s0)
        h = _lambda(sigma_t) - lam_s0
        h_phi_1, b_h, _ = _coefficients(h, order)
        alpha_t = 1.0 - sigma_t
        x_t = sigma_t / sigma_s0 * x - alpha_t * h_phi_1 * m0
        if order == 2:
            rk = (_lambda(sig[i - 1]) - lam_s0) / h
            d1 = (self.model_outputs[-2] - m0) / rk
            x_t = x_t - alpha_t * b_h * (0.5 * d1)
        return x_t

    def _corrector(self, model_t, last_sample, order):
        i, sig = self.index, self.sigmas
        m0 = self.model_outputs[-1]
        sigma_t, sigma_s0 = sig[i], sig[i - 1]
        lam_s0 = _lambda(sigma_s0)
        h = _lambda(sigma_t) - lam_s0
        h_phi_1, b_h, b = _coefficients(h, order)
        alpha_t = 1.0 - sigma_t
        x_t = sigma_t / sigma_s0 * last_sample - alpha_t * h_phi_1 * m0
        d1_t = model_t - m0
        if order == 1:
            return x_t - alpha_t * b_h * (0.5 * d1_t)
        rk = (_lambda(sig[i - 2]) - lam_s0) / h
        d1 = (self.model_outputs[-2] - m0) / rk
        rks = np.array([rk, 1.0])
        r = np.stack([rks**k for k in range(order)])
        rhos = np.linalg.solve(r, np.array(b))
        return x_t - alpha_t * b_h * (rhos[0] * d1 + rhos[1] * d1_t)

    def step(self, v, x):
        """velocity v and sample x (float64 arrays) at sigmas[index] -> the sample at sigmas[index + 1]."""
        m = x - self.sigmas[self.index] * v
        if self.index > 0 and self.last_sample is not None:
            x = self._corrector(m, self.last_sample, self.this_order)
        self.model_outputs = [self.model_outputs[-1], m]
        self.this_order = min(2, self.steps - self.index, self.lower_order_nums + 1)
        self.last_sample = x
        out = self._predictor(x, self.this_order)
        self.lower_order_nums = min(2, self.lower_order_nums + 1)
        self.index += 1
        return out
