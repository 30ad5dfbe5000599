"""How much faster is an int8 matrix product than an fp32 one on this CPU, in ONNX Runtime?

The text embedder's int8 speed-up is bounded by this ratio: only its matrix products get
cheaper (layer norm, GELU, softmax and the attention score products stay fp32). The script
times one MatMul at each of all-MiniLM-L6-v2's weight shapes for a 256-token input, in fp32 and
after the same dynamic per-channel int8 quantization the embedder uses, on 1 and 2 threads, and
prints GMAC/s and the int8/fp32 ratio.

Usage:
    python -m bench.int8_gemm [--tokens 256] [--repeats 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

# (inputs, outputs) of the weight matrices in one MiniLM-L6 layer: fused QKV, attention output,
# feed-forward up and down.
SHAPES = [(384, 1152), (384, 384), (384, 1536), (1536, 384)]


def matmul_model(rows: int, k: int, n: int, path: Path) -> Path:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    weights = np.random.default_rng(0).standard_normal((k, n)).astype(np.float32) * 0.05
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [rows, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [rows, n])],
        [numpy_helper.from_array(weights, "w")],
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


def quantized(path: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = path.with_name(path.stem + "-int8.onnx")
    quantize_dynamic(str(path), str(out), weight_type=QuantType.QInt8, per_channel=True)
    return out


def gmacs(path: Path, x: np.ndarray, n: int, threads: int, repeats: int) -> float:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    for _ in range(20):
        session.run(None, {"x": x})
    started = time.perf_counter()
    for _ in range(repeats):
        session.run(None, {"x": x})
    seconds = (time.perf_counter() - started) / repeats
    return x.shape[0] * x.shape[1] * n / seconds / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=300)
    args = parser.parse_args()
    x_rng = np.random.default_rng(1)
    print("shape        threads  fp32 GMAC/s  int8 GMAC/s  int8/fp32")
    with tempfile.TemporaryDirectory() as work:
        for k, n in SHAPES:
            fp32 = matmul_model(args.tokens, k, n, Path(work) / f"mm{k}x{n}.onnx")
            int8 = quantized(fp32)
            x = x_rng.standard_normal((args.tokens, k)).astype(np.float32)
            for threads in (1, 2):
                slow = gmacs(fp32, x, n, threads, args.repeats)
                fast = gmacs(int8, x, n, threads, args.repeats)
                print(
                    f"{k:4d}x{n:<6d}  {threads:7d}  {slow:11.1f}  {fast:11.1f}  {fast / slow:9.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
