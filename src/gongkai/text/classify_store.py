"""The message classifier's file: a NumPy `.npz` archive of plain arrays, read with `allow_pickle=False`.

Members: `header` (JSON: format, version, categories, weights a/b, training info, the lexicon as
written), `vocab` (unicode array of feature names), `idf`, `coef`, `intercept`, `bias`, and the
training messages `ex_subject`, `ex_body`, `ex_category` (unicode arrays) so that `learn` can
retrain. No member can hold code: loading a hostile file fails with ClassifyError, it runs nothing.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .classify import FORMAT, FORMAT_VERSION, ClassifyError, Lexicon, LinearModel, MessageClassifier

MAX_FILE_BYTES = 512 * 1024 * 1024


def save_model(model: MessageClassifier, path: Path) -> Path:
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "categories": list(model.categories),
        "a": model.a,
        "b": model.b,
        "info": model.info,
        "lexicon": model.lexicon_json,
        "learned": model.linear is not None,
    }
    arrays: dict[str, np.ndarray] = {
        "header": np.array(json.dumps(header, ensure_ascii=False)),
        "bias": np.asarray(model.bias, dtype=np.float64),
        "ex_subject": np.array([e[0] for e in model.examples], dtype=str),
        "ex_body": np.array([e[1] for e in model.examples], dtype=str),
        "ex_category": np.array([e[2] for e in model.examples], dtype=str),
    }
    if model.linear is not None:
        vocab = sorted(model.linear.vocab, key=model.linear.vocab.__getitem__)
        arrays.update(
            vocab=np.array(vocab, dtype=str),
            idf=model.linear.idf,
            coef=model.linear.coef.astype(np.float32),
            intercept=model.linear.intercept,
        )
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary file and renamed: a reader never sees half a model.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".classifier-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load_model(path: Path) -> MessageClassifier:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ClassifyError("path", f"找不到分类模型文件：{path}。") from exc
    if size > MAX_FILE_BYTES:
        raise ClassifyError("path", f"分类模型文件过大：{path}。")
    try:
        raw = path.read_bytes()
        with np.load(io.BytesIO(raw), allow_pickle=False) as archive:
            data = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ClassifyError("path", f"不是 Gongkai 分类模型文件：{path}。") from exc
    try:
        header = json.loads(str(data["header"]))
        if header.get("format") != FORMAT:
            raise ValueError("format")
        if header.get("version") != FORMAT_VERSION:
            raise ClassifyError("path", f"分类模型文件版本 {header.get('version')} 不受支持，请重新训练。")
        categories = tuple(str(c) for c in header["categories"])
        lexicon_json = str(header["lexicon"])
        lexicon = Lexicon.from_json(json.loads(lexicon_json))
        linear = None
        if header.get("learned"):
            vocab = {str(t): i for i, t in enumerate(data["vocab"].tolist())}
            coef = data["coef"].astype(np.float64)
            idf, intercept = data["idf"].astype(np.float64), data["intercept"].astype(np.float64)
            if coef.shape != (len(categories), len(vocab)) or idf.shape != (len(vocab),):
                raise ValueError("shape")
            if intercept.shape != (len(categories),):
                raise ValueError("shape")
            linear = LinearModel(vocab, idf, coef, intercept)
        examples = list(
            zip(
                data["ex_subject"].tolist(),
                data["ex_body"].tolist(),
                data["ex_category"].tolist(),
                strict=True,
            )
        )
        bias = data["bias"].astype(np.float64)
        if len(bias) not in (0, len(categories)):
            raise ValueError("bias")
        return MessageClassifier(
            categories,
            lexicon,
            lexicon_json,
            linear=linear,
            a=float(header["a"]),
            b=float(header["b"]),
            bias=bias,
            examples=[(str(s), str(b), str(c)) for s, b, c in examples],
            info=dict(header.get("info") or {}),
        )
    except ClassifyError:
        raise
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ClassifyError("path", f"分类模型文件已损坏或格式不对：{path}。") from exc


MAX_JSONL_BYTES = 200 * 1024 * 1024


def read_jsonl(path: Path, *, labelled: bool) -> list[tuple[str, str, str]] | list[tuple[str, str]]:
    """The lines of a `gongkai messages train|classify` file: `{"subject", "body"[, "category"]}` each.

    Returns (subject, body, category) triples when `labelled`, else (subject, body) pairs, in file
    order; blank lines are skipped. Any bad line raises ClassifyError naming its line number, so a
    command can refuse the whole file before it changes anything.
    """
    try:
        if Path(path).stat().st_size > MAX_JSONL_BYTES:
            raise ClassifyError("file", f"文件过大：{path}。")
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ClassifyError("file", f"无法读取文件：{path}。") from exc
    except UnicodeDecodeError as exc:
        raise ClassifyError("file", f"文件不是 UTF-8 编码：{path}。") from exc
    out: list = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"第 {number} 行："
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ClassifyError("file", f"{where}不是合法的 JSON。") from exc
        if not isinstance(row, dict):
            raise ClassifyError("file", f"{where}应为 JSON 对象。")
        subject, body = row.get("subject", ""), row.get("body", "")
        if labelled:
            category = row.get("category")
            if not isinstance(category, str) or not category.strip():
                raise ClassifyError("category", f"{where}缺少分类（category）。")
            out.append((subject, body, category.strip()))
        else:
            out.append((subject, body))
    return out
