"""The Azure AI Search backend, through the official ``azure-search-documents`` SDK."""
